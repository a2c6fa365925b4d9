"""Both example configurations validate, hold what the case studies describe, and run."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk_core import check
from frontdesk_core.booking.records import Contact
from frontdesk_core.cli import main
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.testing import MakeFrontdesk

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ["kobenhavn", "hvidovre"]


def load(name: str) -> Config:
    config, problems = check(EXAMPLES / name)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert config is not None
    return config


@pytest.mark.parametrize("name", NAMES)
def test_the_example_validates(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load(name)
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert main(["validate", str(EXAMPLES / name)]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_every_kiosk_has_a_tree_and_every_tree_is_used(name: str) -> None:
    config = load(name)
    used = {c.tree for c in config.centres}
    for centre in config.centres:
        if centre.kiosks:
            assert centre.tree is not None, centre.id
    assert {t.id for t in config.trees} == used


@pytest.mark.parametrize("name", NAMES)
def test_a_scenarios_folder_is_not_part_of_the_configuration(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    shutil.copytree(EXAMPLES / name, copy)
    (copy / "scenarios").mkdir(exist_ok=True)
    (copy / "scenarios" / "peak.yaml").write_text("scenario: {not: a configuration}\n")
    config, problems = check(copy)
    assert problems == [] and config is not None


def test_kobenhavn_is_nyropsgade_with_three_kiosks_and_six_counters() -> None:
    config = load("kobenhavn")
    (centre,) = config.centres
    assert (len(centre.kiosks), len(centre.counters)) == (3, 6)
    services = {s.id for s in config.services}
    assert {"passport", "tax", "cash_benefit", "driving_licence", "health_card", "mitid",
            "moving", "pension"} <= services  # fmt: skip
    assert any(s.booking_only for s in config.services)
    assert all(s.booking is not None for s in config.services if s.booking_only)
    refers = [n for n in config.tree("kbh-borgerservice").nodes if n.kind == "refer"]
    assert "jobcenter-kbh" in {getattr(n, "authority", None) for n in refers}
    assert set(config.site.languages) == {"da", "en"}


def test_hvidovre_is_one_installation_across_six_centres() -> None:
    config = load("hvidovre")
    kiosks = {c.id: len(c.kiosks) for c in config.centres}
    assert kiosks == {
        "borgerservice": 2,
        "jobcenter": 1,
        "sundhedscenter": 1,
        "pensionskontor": 1,
        "teknik-kultur": 1,
        "byggesag": 1,
    }
    permit = config.service("building_permit")
    assert permit.booking_only and permit.booking is not None
    assert set(permit.booking.channels) == {"in_person", "phone"}
    shared = [c.id for c in config.centres if c.tree == "hvidovre-reception"]
    assert shared == ["jobcenter", "pensionskontor", "teknik-kultur"]
    rooms = [q.where for q in config.centre("sundhedscenter").queues if q.where]
    assert all("sal" in w["da"] or "etage" in w["da"] for w in rooms)


@pytest.mark.parametrize("name", NAMES)
def test_each_centre_serves_a_citizen_from_kiosk_to_counter(
    name: str, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    # Monday 10:30, when every example centre is open (the kiosks give no tickets at 09:00
    # where the centre opens at 10:00).
    frontdesk_clock.set(frontdesk_clock.now().replace(hour=10, minute=30))
    fd = make_frontdesk(EXAMPLES / name)
    tickets = 0
    for centre in fd.config.centres:
        session = fd.referral.start(centre.id)
        # Always the last option, with every document, until the outcome.
        while not session.done:
            step = session.step
            session.answer("all" if step.kind == "checklist" else step.options[-1].id)
        result = fd.referral.complete(session, kiosk_id=centre.kiosks[0].id)
        assert result.outcome.centre_id == centre.id
        if result.ticket is not None:
            tickets += 1
            counter = next(c for c in centre.counters if result.ticket.queue_id in c.queues)
            fd.queues.sign_in(counter.id, "ab")
            assert fd.queues.call_next(counter.id) == fd.queues.ticket(result.ticket.id)
    assert tickets >= 1


def test_hvidovre_rehabilitation_check_in_tells_floor_and_room(
    make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    fd = make_frontdesk(EXAMPLES / "hvidovre")
    tomorrow = frontdesk_clock.now().date() + timedelta(days=1)
    slot = fd.booking.free_slots("rehabilitation", tomorrow, tomorrow)[0]
    booking = fd.booking.book("rehabilitation", slot.start, contact=Contact(phone="+4512345678"))
    frontdesk_clock.set(slot.start - timedelta(minutes=10))

    session = fd.referral.start("sundhedscenter", "en")
    session.answer("rehabilitation")
    result = fd.referral.complete(session, kiosk_id="sc-kiosk", booking_code=booking.code)
    assert result.ticket is not None and result.ticket.booking_id == booking.id
    assert result.where is not None
    # Booked in Danish, checked in at an English kiosk: told in the kiosk's language.
    assert "floor" in result.where and "room" in result.where
