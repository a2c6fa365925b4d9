"""The manager's page on why citizens are sent home, in Danish and English."""

from __future__ import annotations

import re

import httpx
from conftest import PASSWORD, Served

from frontdesk_core.api import Frontdesk
from frontdesk_core.testing import walk_kiosk


def _walk(fd: Frontdesk, answers: list[str | list[str]]) -> None:
    walk_kiosk(fd, "nyropsgade", answers)


def _sign_in(client: httpx.Client) -> None:
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    data = {"username": "mette", "password": PASSWORD, "csrf": csrf}
    assert client.post("/login", data=data).status_code == 303


def test_the_charts_count_the_kiosk_outcomes_in_both_languages(served: Served) -> None:
    fd = served.fd
    for _ in range(3):
        _walk(fd, ["health_card", []])
    _walk(fd, ["job"])
    _walk(fd, ["health_card", ["photo_id"]])
    with httpx.Client(base_url=served.url) as client:
        _sign_in(client)
        assert 'id="why-link"' in client.get("/manager").text
        danish = client.get("/manager/why", params={"centre": "nyropsgade", "lang": "da"})
        english = client.get("/manager/why", params={"centre": "nyropsgade", "lang": "en"})
        assert client.get("/manager/why", params={"centre": "nowhere"}).status_code == 404
    assert danish.status_code == english.status_code == 200
    assert '<html lang="da"' in danish.text and '<html lang="en"' in english.text
    assert "5 borgere brugte standeren: 3 blev sendt hjem (60%)" in danish.text
    assert "5 citizens used the kiosk: 3 were sent home (60%)" in english.text
    # The top reason, named in each language, with its count.
    assert re.search(r"Billedlegitimation[^<]*</span>.*?why-count\">3<", danish.text, re.S)
    assert re.search(r"Photo ID[^<]*</span>.*?why-count\">3<", english.text, re.S)
    # The flow: the first answer on the left, the outcomes on the right.
    assert "Sundhedskort (4)" in danish.text and "Sendt hjem (3)" in danish.text
    assert "Health insurance card (4)" in english.text and "Sent home (3)" in english.text
    for word in ("Sent home", "citizens", "Referred", "Top reasons", "Back to"):
        assert word not in danish.text


def test_only_managers_see_it(served: Served) -> None:
    with httpx.Client(base_url=served.url) as client:
        assert client.get("/manager/why").status_code in (302, 303, 401, 403)
