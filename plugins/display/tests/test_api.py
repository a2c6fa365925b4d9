"""The JSON API against uvicorn on 127.0.0.1: plain calls, then fuzzing from its OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from conftest import PASSWORD, Served, monday_morning, serve
from frontdesk_display import plugin
from frontdesk_display.api import routes as api
from frontdesk_display.api.openapi import openapi
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from frontdesk_core.api import Config, Contact, Frontdesk, make_plugin_manager

DANISH = {"Accept-Language": "da-DK,da;q=0.9,en;q=0.8"}


@pytest.fixture(scope="module")
def api_server(kobenhavn: Config) -> Iterator[Served]:
    """One server for the module (the fuzzer makes many calls)."""
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(kobenhavn, store=":memory:", clock=monday_morning(), plugins=pm)
    running = serve(fd)
    yield running
    running.stop()
    fd.close()


def token_for(url: str, username: str) -> str:
    """A bearer token from ``POST /token``."""
    answer = httpx.post(f"{url}/api/v1/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


def test_staff_operations_need_a_token_with_the_right_role(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1"
    assert httpx.get(f"{url}/counters/skranke-1").status_code == 401
    wrong = httpx.post(f"{url}/token", json={"username": "anna", "password": "nope"})
    assert wrong.status_code == 401
    employee = {"Authorization": f"Bearer {token_for(api_server.url, 'anna')}"}
    assert httpx.get(f"{url}/counters/skranke-1", headers=employee).status_code == 200
    refused = httpx.put(f"{url}/centres/nyropsgade/info", json={"text": "x"}, headers=employee)
    assert refused.status_code == 403
    forged = {"Authorization": "Bearer " + token_for(api_server.url, "anna")[:-2] + "xx"}
    assert httpx.get(f"{url}/counters/skranke-1", headers=forged).status_code == 401


def test_password_guessing_is_paused_after_a_few_wrong_tries(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1/token"
    guesses = [
        httpx.post(url, json={"username": "guessed", "password": f"pw{i}"}).status_code
        for i in range(6)
    ]
    assert guesses == [401] * 5 + [429]


def test_a_browser_session_needs_its_csrf_token_to_change_anything(api_server: Served) -> None:
    with httpx.Client(base_url=api_server.url) as browser:
        page = browser.get("/login")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed_in = browser.post(
            "/login", data={"username": "mette", "password": PASSWORD, "csrf": csrf}
        )
        assert signed_in.status_code == 303
        # The session was renewed at sign-in: the token from before no longer works.
        body = {"text": "Hello"}
        assert browser.put("/api/v1/centres/nyropsgade/info", json=body).status_code == 403
        page = browser.get("/manager")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        headers = {"X-CSRF-Token": csrf}
        ok = browser.put("/api/v1/centres/nyropsgade/info", json=body, headers=headers)
        assert ok.status_code == 200
        elsewhere = {**headers, "Origin": "http://evil.example"}
        refused = browser.put("/api/v1/centres/nyropsgade/info", json=body, headers=elsewhere)
        assert refused.status_code == 403
        form = browser.post("/manager/nyropsgade/counters/skranke-1/open", data={})
        assert form.status_code == 403
    assert api_server.fd.queues.counter("skranke-1").status == "closed"


def test_an_integrators_kiosk_walks_the_tree_and_a_counter_serves_the_ticket(
    api_server: Served,
) -> None:
    url = f"{api_server.url}/api/v1"
    step = httpx.post(f"{url}/kiosk/nyropsgade/sessions", json={"language": "en"})
    assert step.status_code == 201
    session = step.json()
    assert session["kind"] == "question" and session["node_id"] == "errand"
    sid = session["session_id"]
    step = httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json={"option": "health_card"})
    assert step.json()["kind"] == "checklist"
    step = httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json={"have": ["photo_id"]})
    result = step.json()
    assert result["done"] and result["result"]["kind"] == "queue"
    number = result["result"]["number"]
    again = httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json={"option": "x"})
    assert again.status_code == 409

    staff = {"Authorization": f"Bearer {token_for(api_server.url, 'bo')}"}
    assert httpx.post(f"{url}/counters/skranke-3/sign-in", headers=staff).status_code == 200
    called = httpx.post(f"{url}/counters/skranke-3/call-next", headers=staff).json()
    assert called["ticket"]["number"] == number
    ticket = httpx.get(f"{url}/tickets/{called['ticket']['id']}").json()
    assert ticket["state"] == "called" and ticket["counter_id"] == "skranke-3"
    screen = httpx.get(f"{url}/centres/nyropsgade/screen").json()
    assert [c["number"] for c in screen["called"]] == [number]
    # A particular ticket can be called, and one that left can be cancelled.
    later = httpx.post(f"{url}/queues/generel/tickets", json={}, headers=staff).json()
    gone = httpx.post(f"{url}/queues/generel/tickets", json={}, headers=staff).json()
    waiting = httpx.get(f"{url}/queues/generel/waiting", headers=staff).json()
    assert [t["id"] for t in waiting] == [later["id"], gone["id"]]
    cancelled = httpx.post(f"{url}/tickets/{gone['id']}/cancel", headers=staff).json()
    assert cancelled["state"] == "cancelled"
    busy = httpx.post(
        f"{url}/counters/skranke-3/call", json={"ticket_id": later["id"]}, headers=staff
    )
    assert busy.status_code == 409  # the counter still has the first ticket
    finished = httpx.post(f"{url}/counters/skranke-3/finish", headers=staff)
    assert finished.json()["ticket"] is None
    idle = httpx.post(f"{url}/counters/skranke-3/finish", headers=staff)
    assert idle.status_code == 409 and "no ticket" in idle.json()["error"]
    picked = httpx.post(
        f"{url}/counters/skranke-3/call", json={"ticket_id": later["id"]}, headers=staff
    )
    assert picked.json()["ticket"]["id"] == later["id"]


def test_an_integrators_kiosk_books_one_of_the_offered_times(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1"
    sid = httpx.post(f"{url}/kiosk/nyropsgade/sessions", json={}).json()["session_id"]
    for answer in ({"option": "passport"}, {"option": "new"}):
        httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json=answer).raise_for_status()
    offer = httpx.post(
        f"{url}/kiosk/sessions/{sid}/answer", json={"have": ["old_passport", "photo_id"]}
    ).json()["result"]
    assert offer["kind"] == "book" and offer["slots"]
    other = httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json={"slot": "2026-11-23T23:00"})
    assert other.status_code == 422 and "times shown" in other.json()["error"]
    chosen = offer["slots"][0]["start"]
    booked = httpx.post(f"{url}/kiosk/sessions/{sid}/answer", json={"slot": chosen}).json()
    code = booked["result"]["code"]
    assert api_server.fd.booking.find(code).start.isoformat() == chosen


def test_bad_input_is_refused_with_a_reason(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1"
    staff = {"Authorization": f"Bearer {token_for(api_server.url, 'mette')}"}
    assert (
        httpx.post(
            f"{url}/check-in", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert httpx.post(f"{url}/check-in", content=b"code=1").status_code == 415
    extra = httpx.post(f"{url}/check-in", json={"code": "ABC123", "name": "x"})
    assert extra.status_code == 422 and extra.json()["detail"][0]["loc"] == ["name"]
    assert httpx.post(f"{url}/check-in", json={"code": "ABC123"}).status_code == 404
    wrong_type = httpx.put(f"{url}/counters/skranke-1/open", json={"open": "yes"}, headers=staff)
    assert wrong_type.status_code == 422
    unknown = httpx.put(
        f"{url}/counters/skranke-1/queues", json={"queue_ids": ["pass"]}, headers=staff
    )
    assert unknown.status_code == 404 and "did you mean 'pas'" in unknown.json()["error"]
    assert httpx.get(f"{url}/centres/NOPE/screen").status_code == 404


def test_a_manager_records_and_withdraws_an_absence(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1"
    fd = api_server.fd
    manager = {"Authorization": f"Bearer {token_for(api_server.url, 'mette')}"}
    employee = {"Authorization": f"Bearer {token_for(api_server.url, 'anna')}"}
    now = fd.clock.now()
    day = (now + timedelta(days=1)).date()
    slot = fd.booking.free_slots("passport", day, day)[0]
    booking = fd.booking.book("passport", slot.start, contact=Contact())
    body = {
        "start": (slot.start - timedelta(hours=1)).isoformat(),
        "end": (slot.start + timedelta(hours=2)).isoformat(),
        "reason": "sick",
    }
    target = f"{url}/counters/{booking.counter_id}/absences"
    assert httpx.post(target, json=body, headers=employee).status_code == 403
    answer = httpx.post(target, json=body, headers=manager)
    assert answer.status_code == 201, answer.text
    done = answer.json()
    assert done["absence"]["reason"] == "sick"
    assert [b["code"] for b in done["moved"]] == [booking.code]
    assert done["moved"][0]["counter_id"] != booking.counter_id
    listed = httpx.get(f"{url}/centres/nyropsgade/absences", headers=manager).json()
    assert [a["id"] for a in listed] == [done["absence"]["id"]]
    gone = httpx.delete(f"{url}/absences/{done['absence']['id']}", headers=manager)
    assert gone.status_code == 200 and gone.json()["id"] == done["absence"]["id"]
    again = httpx.delete(f"{url}/absences/{done['absence']['id']}", headers=manager)
    assert again.status_code == 404
    # A time without its offset, or no real time, is refused with the field named.
    naive = httpx.post(target, json={**body, "start": "2026-11-24T09:00"}, headers=manager)
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["start"]
    unreal = httpx.post(target, json={**body, "end": "2026-13-24T09:00+01:00"}, headers=manager)
    assert unreal.status_code == 422 and unreal.json()["detail"][0]["loc"] == ["end"]


def test_a_booking_site_books_moves_and_cancels_through_the_api(api_server: Served) -> None:
    url = f"{api_server.url}/api/v1"
    day = (api_server.fd.clock.now() + timedelta(days=2)).date().isoformat()
    slots = httpx.get(f"{url}/services/passport/slots/{day}").json()
    assert slots and all(s["free"] >= 1 for s in slots)
    body = {
        "service_id": "passport",
        "start": slots[0]["start"],
        "phone": "+45 12 34 56 78",
        "name": "Jens Hansen",
        "language": "en",
    }
    made = httpx.post(f"{url}/bookings", json=body)
    assert made.status_code == 201, made.text
    booking = made.json()
    assert booking["state"] == "booked" and booking["start"] == slots[0]["start"]
    assert "12 34" not in made.text and "Jens" not in made.text  # personal data stays in
    code = booking["code"]
    assert httpx.get(f"{url}/bookings/{code.lower()}").json()["code"] == code
    moved = httpx.put(f"{url}/bookings/{code}", json={"start": slots[1]["start"]})
    assert moved.status_code == 200 and moved.json()["start"] == slots[1]["start"]
    gone = httpx.delete(f"{url}/bookings/{code}")
    assert gone.status_code == 200 and gone.json()["state"] == "cancelled"
    assert httpx.delete(f"{url}/bookings/{code}").status_code == 409
    odd = httpx.post(f"{url}/bookings", json={**body, "start": slots[0]["start"][:16]})
    assert odd.status_code == 422 and odd.json()["detail"][0]["loc"] == ["start"]
    assert httpx.get(f"{url}/services/nope/slots/{day}").status_code == 404
    # A site shows the citizen the words in their language, from the code and parameters.
    bad = httpx.post(f"{url}/bookings", json={**body, "phone": "12 34 56"}, headers=DANISH)
    assert bad.status_code == 422 and bad.json()["code"] == "phone.invalid"
    assert bad.json()["message"].startswith("Det er ikke et mobilnummer.")
    gone = httpx.delete(f"{url}/bookings/{code}", headers={"Accept-Language": "en-GB,da;q=0.5"})
    assert gone.json()["code"] == "booking.cancelled"
    assert gone.json()["message"] == "The booking is cancelled."


def test_guessing_booking_codes_is_paused_but_a_signed_in_site_is_not(
    api_server: Served,
) -> None:
    url = f"{api_server.url}/api/v1"
    answers = [httpx.get(f"{url}/bookings/ZZZZ{n:02d}").status_code for n in range(12)]
    assert answers == [404] * 10 + [429] * 2
    site = {"Authorization": f"Bearer {token_for(api_server.url, 'anna')}"}
    assert httpx.get(f"{url}/bookings/ZZZZ99", headers=site).status_code == 404
    # The pause is for anonymous callers from that address only.
    assert httpx.get(f"{url}/bookings/ZZZZ98").status_code == 429


# The description the server publishes, built from the same operations it routes.
schema = schemathesis.openapi.from_dict(
    openapi(api.OPERATIONS, title="frontdesk", version="1", prefix=api.PREFIX)
)


@pytest.fixture(scope="module")
def manager_token(api_server: Served) -> str:
    """A manager's bearer token, so every operation is reachable."""
    return token_for(api_server.url, "mette")


def test_the_published_description_is_the_one_fuzzed(api_server: Served) -> None:
    published = httpx.get(f"{api_server.url}/api/v1/openapi.json").json()
    assert published == openapi(api.OPERATIONS, title="frontdesk", version="1", prefix=api.PREFIX)
    assert len(published["paths"]) >= 14


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_never_fails_and_never_accepts_bad_input(
    case: Any, api_server: Served, manager_token: str
) -> None:
    case.call_and_validate(
        base_url=api_server.url,
        headers={"Authorization": f"Bearer {manager_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
