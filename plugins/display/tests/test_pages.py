"""Every public page of both examples renders, and staff pages answer as they should."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import EXAMPLE, Served, monday_morning, serve
from frontdesk_display import plugin

from frontdesk_core.api import Frontdesk, Hooks, load_config, make_plugin_manager

HVIDOVRE = EXAMPLE.parent / "hvidovre"


@pytest.fixture(params=[EXAMPLE, HVIDOVRE], ids=["kobenhavn", "hvidovre"])
def example(request: pytest.FixtureRequest) -> Iterator[Served]:
    """Each example served on an in-memory store."""
    path: Path = request.param
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    config = load_config(path, Hooks(pm).load_context())
    fd = Frontdesk.open(config, store=":memory:", clock=monday_morning(), plugins=pm)
    running = serve(fd)
    yield running
    running.stop()
    fd.close()


def test_every_public_page_of_every_centre_renders(example: Served) -> None:
    with httpx.Client(base_url=example.url, follow_redirects=True) as client:
        index = client.get("/")
        assert index.status_code == 200
        for centre in example.fd.config.centres:
            screen = client.get(f"/screen/{centre.id}")
            assert screen.status_code == 200 and "set-cookie" not in screen.headers
            for info_screen in centre.info_screens:
                assert client.get(f"/screen/{centre.id}?screen={info_screen.id}").is_success
            for kiosk in centre.kiosks:
                home = f"/kiosk/{centre.id}/{kiosk.id}"
                assert client.get(home).status_code == 200
                for language in example.fd.config.site.languages:
                    step = client.post(f"{home}/start", data={"language": language})
                    assert step.status_code == 200, (centre.id, kiosk.id, step.text[:200])
                    assert "data-step=" in step.text and "set-cookie" not in step.headers
        missing = client.get("/screen/no-such-centre")
        assert missing.status_code == 404 and "Centret findes ikke." in missing.text
        wrong = client.put("/login")  # a page used another way: said in the site's language
        assert wrong.status_code == 405 and 'lang="da"' in wrong.text
        assert "Siden kan ikke bruges på den måde." in wrong.text
        assert client.get("/staff").url.path == "/login"
