"""Guessing limits on every route where a secret is typed, server-side staff sessions,
Secure cookies and trusted proxies, against uvicorn on 127.0.0.1 (no browser)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import PASSWORD, SETTINGS, Served, monday_morning, serve
from frontdesk_display import plugin
from frontdesk_display.app import create_app
from frontdesk_display.guesses import LIMITS
from frontdesk_display.passwords import hash_password
from frontdesk_display.settings import DisplaySettings

from frontdesk_core.api import Config, Frontdesk, make_plugin_manager

WRONG = LIMITS["code"].failures
"""Wrong codes answered before the pause."""


@pytest.fixture(scope="module")
def behind_proxy(kobenhavn: Config) -> Iterator[Served]:
    """A server that believes the proxy on 127.0.0.1, so a test can be many clients."""
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(kobenhavn, store=":memory:", clock=monday_morning(), plugins=pm)
    running = serve(fd, forwarded_allow_ips="127.0.0.1")
    yield running
    running.stop()
    fd.close()


@pytest.fixture
def proxied(behind_proxy: Served) -> Served:
    behind_proxy.forget_guesses()
    return behind_proxy


def client(served: Served, address: str | None = None, **options: object) -> httpx.Client:
    """A client of the server, coming from ``address`` through the proxy when given."""
    headers = {"X-Forwarded-For": address} if address else {}
    return httpx.Client(base_url=served.url, headers=headers, timeout=10, **options)  # type: ignore[arg-type]


def kiosk_page_at_code(kiosk: httpx.Client, kiosk_id: str, language: str = "da") -> str:
    """Walk the kiosk page to the check-in step; the step's URL."""
    step = kiosk.post(f"/kiosk/nyropsgade/{kiosk_id}/start", data={"language": language})
    step = kiosk.post(str(step.url), data={"do": "answer", "option": "booked"})
    assert 'name="code"' in step.text
    return str(step.url)


def kiosk_api_at_code(kiosk: httpx.Client, language: str = "en") -> str:
    """Walk a kiosk API session to the check-in step; the answer URL."""
    started = kiosk.post("/api/v1/kiosk/nyropsgade/sessions", json={"language": language})
    url = f"/api/v1/kiosk/sessions/{started.json()['session_id']}/answer"
    kiosk.post(url, json={"option": "booked"}).raise_for_status()
    return url


def test_wrong_codes_at_the_kiosk_page_pause_it_in_danish(proxied: Served) -> None:
    with client(proxied, "10.1.0.1", follow_redirects=True) as kiosk:
        url = kiosk_page_at_code(kiosk, "kiosk-1")
        answers = [
            kiosk.post(url, data={"do": "check_in", "code": f"WRONG{n}"}) for n in range(WRONG + 1)
        ]
    assert [a.status_code for a in answers] == [422] * WRONG + [429]
    assert "For mange forkerte koder" in answers[-1].text
    assert int(answers[-1].headers["retry-after"]) > 0


def test_wrong_codes_through_the_kiosk_api_pause_it_in_the_sessions_language(
    proxied: Served,
) -> None:
    with client(proxied, "10.1.0.2") as kiosk:
        url = kiosk_api_at_code(kiosk, "en")
        answers = [kiosk.post(url, json={"code": f"WRONG{n}"}) for n in range(WRONG + 1)]
    assert [a.status_code for a in answers] == [404] * WRONG + [429]
    assert answers[-1].json()["error"] == "Too many wrong codes. Wait a minute and try again."


def test_wrong_codes_to_the_check_in_api_are_paused_and_shared_with_the_lookup(
    proxied: Served,
) -> None:
    with client(proxied, "10.1.0.3") as api:
        answers = [
            api.post("/api/v1/check-in", json={"code": f"WRONG{n}"}) for n in range(WRONG + 1)
        ]
        assert [a.status_code for a in answers] == [404] * WRONG + [429]
        # The same address is paused on the booking lookup and the kiosk too.
        assert api.get("/api/v1/bookings/WRONG99").status_code == 429
        danish = api.post(
            "/api/v1/check-in", json={"code": "WRONG99"}, headers={"Accept-Language": "da"}
        )
        assert danish.json()["error"].startswith("For mange forkerte koder")
        assert api.post(kiosk_api_at_code(api), json={"code": "WRONG99"}).status_code == 429
    with client(proxied, "10.1.0.4") as elsewhere:
        assert elsewhere.post("/api/v1/check-in", json={"code": "WRONG1"}).status_code == 404


def test_wrong_codes_at_the_booking_lookup_pause_the_check_in_api(proxied: Served) -> None:
    with client(proxied, "10.1.0.5") as api:
        answers = [api.get(f"/api/v1/bookings/WRONG{n}") for n in range(WRONG + 1)]
        assert [a.status_code for a in answers] == [404] * WRONG + [429]
        assert api.post("/api/v1/check-in", json={"code": "WRONG99"}).status_code == 429


def test_wrong_codes_on_the_booking_page_are_paused(proxied: Served) -> None:
    with client(proxied, "10.1.0.6", follow_redirects=True) as citizen:
        page = citizen.get("/booking?lang=da")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        answers = [
            citizen.post("/booking?lang=da", data={"code": f"WRONG{n}", "csrf": csrf})
            for n in range(WRONG + 1)
        ]
    assert [a.status_code for a in answers] == [200] * WRONG + [429]
    assert "For mange ukendte koder" in answers[-1].text


def test_one_kiosk_is_paused_whatever_address_its_guesses_come_from(proxied: Served) -> None:
    for n in range(WRONG):
        with client(proxied, f"10.2.0.{n}", follow_redirects=True) as kiosk:
            url = kiosk_page_at_code(kiosk, "kiosk-1", "en")
            assert kiosk.post(url, data={"do": "check_in", "code": "WRONG1"}).status_code == 422
    with client(proxied, "10.2.1.1", follow_redirects=True) as kiosk:
        url = kiosk_page_at_code(kiosk, "kiosk-1", "en")
        paused = kiosk.post(url, data={"do": "check_in", "code": "WRONG1"})
        assert paused.status_code == 429 and "Too many wrong codes" in paused.text
        other = kiosk_page_at_code(kiosk, "kiosk-2", "en")
        assert kiosk.post(other, data={"do": "check_in", "code": "WRONG1"}).status_code == 422


def test_a_forwarded_address_from_an_untrusted_peer_does_not_dodge_the_password_pause(
    served: Served,
) -> None:
    """Without ``--forwarded-allow-ips`` even loopback's X-Forwarded-For is not believed."""
    answers = [
        httpx.post(
            f"{served.url}/api/v1/token",
            json={"username": "anna", "password": f"wrong{n}"},
            headers={"X-Forwarded-For": f"10.3.0.{n}"},
        ).status_code
        for n in range(LIMITS["password"].failures + 3)
    ]
    assert answers == [401] * LIMITS["password"].failures + [429] * 3
    with httpx.Client(base_url=served.url) as browser:
        csrf = browser.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = {"username": "bo", "password": PASSWORD, "csrf": csrf}
        paused = browser.post("/login", data=form, headers={"X-Forwarded-For": "10.3.1.1"})
    assert paused.status_code == 429


def sign_in(served: Served, username: str) -> httpx.Client:
    """A browser signed in through the form (the caller closes it)."""
    browser = httpx.Client(base_url=served.url, timeout=10)
    csrf = browser.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    done = browser.post("/login", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert done.status_code == 303, done.text
    return browser


def opens_staff(url: str, cookies: httpx.Cookies) -> bool:
    """Whether these cookies open the employee dashboard (not sent to sign in)."""
    with httpx.Client(base_url=url, cookies=cookies) as browser:
        return browser.get("/staff").status_code == 200


def csrf_of(browser: httpx.Client, path: str) -> str:
    return browser.get(path).text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(served: Served) -> None:
    browser = sign_in(served, "anna")
    copied = httpx.Cookies(browser.cookies)
    assert opens_staff(served.url, copied)
    browser.post("/logout", data={"csrf": csrf_of(browser, "/staff")})
    browser.close()
    assert not opens_staff(served.url, copied)


def events_until(lines: Iterator[str], event: str) -> bool:
    """Read a Server-Sent Event stream until ``event`` (``False`` if it ends first)."""
    return any(line == f"event: {event}" for line in lines)


def test_an_open_dashboard_stream_ends_when_its_session_does(served: Served) -> None:
    browser = sign_in(served, "anna")
    with (
        httpx.Client(base_url=served.url, cookies=httpx.Cookies(browser.cookies)) as watcher,
        # Without the end, the stream would only say "keep-alive" every 15 s: the read
        # timeout would fail the test.
        watcher.stream("GET", "/events/staff/nyropsgade", timeout=10) as stream,
    ):
        lines = stream.iter_lines()
        assert events_until(lines, "status")
        browser.post("/logout", data={"csrf": csrf_of(browser, "/staff")})
        assert events_until(lines, "signed_out")
    browser.close()


def test_sessions_are_shared_by_two_servers_on_one_database(
    open_frontdesk: Callable[..., Frontdesk], tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    first, second = serve(open_frontdesk(db)), serve(open_frontdesk(db))
    try:
        browser = sign_in(first, "anna")
        cookies = httpx.Cookies(browser.cookies)
        assert opens_staff(second.url, cookies)
        browser.post("/logout", data={"csrf": csrf_of(browser, "/staff")})
        browser.close()
        assert not opens_staff(second.url, cookies)
    finally:
        first.stop()
        second.stop()


def test_a_manager_signs_a_user_out_everywhere_browsers_and_tokens(served: Served) -> None:
    browser = sign_in(served, "anna")
    token = httpx.post(
        f"{served.url}/api/v1/token", json={"username": "anna", "password": PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    counter = f"{served.url}/api/v1/counters/skranke-1"
    assert httpx.get(counter, headers=bearer).status_code == 200
    manager = sign_in(served, "mette")
    done = manager.post(
        "/manager/nyropsgade/sign-out-everywhere",
        data={"user": "anna", "csrf": csrf_of(manager, "/manager")},
    )
    assert done.status_code == 303
    assert not opens_staff(served.url, browser.cookies)
    assert httpx.get(counter, headers=bearer).status_code == 401
    # The manager stays signed in; anna signs in again afresh.
    assert manager.get("/manager").status_code == 200
    again = sign_in(served, "anna")
    assert again.get("/staff").status_code == 200
    again.close()
    browser.close()
    manager.close()


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(
    open_frontdesk: Callable[..., Frontdesk], tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    before = serve(open_frontdesk(db))
    changed = DisplaySettings(
        users=[
            u.model_copy(update={"password_hash": hash_password("a new one", n=2**10)})
            if u.username == "anna"
            else u
            for u in SETTINGS.users
        ]
    )
    after = serve(open_frontdesk(db), settings=changed)
    try:
        anna, bo = sign_in(before, "anna"), sign_in(before, "bo")
        assert opens_staff(before.url, anna.cookies)
        assert not opens_staff(after.url, anna.cookies)
        assert opens_staff(after.url, bo.cookies)
        anna.close()
        bo.close()
    finally:
        before.stop()
        after.stop()


def cookie_header(served: Served, **headers: str) -> str:
    return httpx.get(f"{served.url}/login", headers=headers).headers["set-cookie"]


def test_the_cookie_is_secure_over_https_through_a_trusted_proxy_only(
    served: Served, proxied: Served
) -> None:
    assert "secure" not in cookie_header(proxied).lower()
    assert "secure" in cookie_header(proxied, **{"X-Forwarded-Proto": "https"}).lower()
    assert "secure" not in cookie_header(served, **{"X-Forwarded-Proto": "https"}).lower()


def test_the_cookie_is_secure_on_a_direct_https_request(kobenhavn: Config) -> None:
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    with Frontdesk.open(kobenhavn, store=":memory:", clock=monday_morning(), plugins=pm) as fd:
        app = create_app(fd, settings=SETTINGS, secret="test-secret")
        # On a loop of its own thread: Playwright's sync API may own this thread's loop.
        with ThreadPoolExecutor(1) as pool:
            headers = pool.submit(asyncio.run, https_get(app, "/login")).result(timeout=10)
        assert "secure" in headers[b"set-cookie"].decode().lower()


async def https_get(app: Any, path: str) -> dict[bytes, bytes]:
    """The response headers of a GET that reached ``app`` over HTTPS (as uvicorn with TLS
    would pass it on)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"kiosk.example")],
        "client": ("192.0.2.1", 50000),
        "server": ("kiosk.example", 443),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return dict(sent[0]["headers"])


def test_a_wrong_method_is_answered_with_the_allowed_ones(served: Served) -> None:
    api = httpx.delete(f"{served.url}/api/v1/check-in")
    assert api.status_code == 405 and api.headers["allow"] == "POST"
    page = httpx.put(f"{served.url}/login")
    assert page.status_code == 405 and set(page.headers["allow"].split(", ")) >= {"GET", "POST"}
