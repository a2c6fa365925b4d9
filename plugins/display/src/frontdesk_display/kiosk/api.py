"""The kiosk as JSON: integrators' own kiosk front ends walk the same sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from frontdesk_core.api import CommandError, InvalidStateError, KioskResult, NotFoundError
from frontdesk_display.api import models as m
from frontdesk_display.api.common import too_many
from frontdesk_display.api.openapi import Operation, Param
from frontdesk_display.guesses import CodeTries, TooManyGuesses
from frontdesk_display.kiosk import flow as kiosk_flow
from frontdesk_display.kiosk.sessions import KioskEntry, KioskSessions

if TYPE_CHECKING:
    from frontdesk_display.api.routes import Call


SESSION = Param("session_id", {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"})


def _view(entry: KioskEntry, step: dict[str, Any]) -> m.KioskStep:
    return m.KioskStep(
        session_id=entry.id,
        centre_id=entry.centre_id,
        language=entry.language,
        kind="result" if entry.result is not None else step["kind"],
        node_id=step.get("node_id"),
        text=step.get("text", ""),
        help=step.get("help"),
        options=[
            m.KioskOption(id=o["id"], label=o["label"], help=o.get("help"))
            for o in step.get("options", [])
        ],
        documents=[m.NamedId(id=d["id"], name=d["name"]) for d in step.get("documents", [])],
        done=entry.result is not None,
        result=entry.result,
    )


def _entry(call: Call) -> KioskEntry:
    sessions: KioskSessions = call.request.app.state.kiosks
    entry = sessions.get(call.params["session_id"])
    if entry is None:
        raise NotFoundError("no such kiosk session (it may have expired)")
    return entry


async def start_session(call: Call) -> m.KioskStep:
    """Start a kiosk session at a centre."""
    centre_id = call.params["centre_id"]
    call.centre_ok(centre_id)
    body: m.StartKiosk = call.body
    hub = call.hub
    session = await hub.core.run(kiosk_flow.start, hub.fd, centre_id, body.language)
    sessions: KioskSessions = call.request.app.state.kiosks
    entry = sessions.add(centre_id, None, body.language, session)
    return _view(entry, await hub.core.run(kiosk_flow.step_of, session))


async def get_session(call: Call) -> m.KioskStep:
    """A session's current step (or its result)."""
    entry = _entry(call)
    return _view(entry, await call.hub.core.run(kiosk_flow.step_of, entry.session))


async def answer(call: Call) -> m.KioskStep:
    """Answer the current step; the outcome is carried out when the walk ends."""
    entry = _entry(call)
    body: m.Answer = call.body
    hub = call.hub
    tries = CodeTries.of(call.request, kiosk_id=entry.kiosk_id, exempt=call.user is not None)
    if body.code is not None:
        try:
            tries.check()
        except TooManyGuesses as exc:
            raise too_many(call.request, exc, entry.language) from None

    def run() -> KioskResult | None:
        """The step's command, on the core's thread; the outcome carried out, if any."""
        if entry.result is not None and entry.result.get("kind") == "book" and body.slot:
            entry.result = kiosk_flow.book(hub.fd, entry.result, body.slot, entry.language)
            return None
        if entry.result is not None and body.phone is not None:
            entry.result = kiosk_flow.turn_soon(hub.fd, entry.result, body.phone, entry.language)
            return None
        if entry.result is not None:
            raise InvalidStateError("the session is over; start a new one")
        if kiosk_flow.needs_code(entry.session):
            if body.code is None:
                raise CommandError("send the code from the booking confirmation ('code')")
            code = body.code
            return tries.attempt(
                lambda: kiosk_flow.check_in(hub.fd, entry.session, entry.kiosk_id, code)
            )
        kiosk_flow.answer(entry.session, body.option, body.have)
        if entry.session.done and not kiosk_flow.needs_code(entry.session):
            return kiosk_flow.complete(hub.fd, entry.session, entry.kiosk_id)
        return None

    done = await hub.core.run(run)
    if done is not None:
        entry.result = await kiosk_flow.finish(hub.fd, done)
    return _view(entry, await hub.core.run(kiosk_flow.step_of, entry.session))


async def back(call: Call) -> m.KioskStep:
    """Go back one step."""
    entry = _entry(call)
    hub = call.hub

    def run() -> dict[str, Any]:
        if entry.result is not None:
            raise InvalidStateError("the session is over; start a new one")
        entry.session.back()
        return kiosk_flow.step_of(entry.session)

    return _view(entry, await hub.core.run(run))


CENTRE = Param("centre_id")
OPERATIONS = [
    Operation(
        "POST",
        "/kiosk/{centre_id}/sessions",
        "startKioskSession",
        "Start a kiosk session",
        start_session,
        m.KioskStep,
        body=m.StartKiosk,
        params=[CENTRE],
        errors=[409],
        status=201,
    ),
    Operation(
        "GET",
        "/kiosk/sessions/{session_id}",
        "getKioskSession",
        "A kiosk session's current step",
        get_session,
        m.KioskStep,
        params=[SESSION],
    ),
    Operation(
        "POST",
        "/kiosk/sessions/{session_id}/answer",
        "answerKioskStep",
        "Answer the current step",
        answer,
        m.KioskStep,
        body=m.Answer,
        params=[SESSION],
        errors=[409, 429],
    ),
    Operation(
        "POST",
        "/kiosk/sessions/{session_id}/back",
        "kioskBack",
        "Go back one step",
        back,
        m.KioskStep,
        params=[SESSION],
        errors=[409],
    ),
]
