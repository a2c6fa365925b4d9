"""The kiosk page: large touch targets, one question per screen, no JavaScript needed.

Each tap is a small form post answered with a redirect (so a reload never
answers twice). The page holds no personal data: a check-in code is sent to
the core and never shown again.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Centre, FrontdeskError, Kiosk, KioskResult
from frontdesk_display.api.common import TOO_MANY_CODES
from frontdesk_display.common.errors import error_text
from frontdesk_display.common.pages import not_found, render, words_of
from frontdesk_display.common.texts import LANGUAGE_NAMES
from frontdesk_display.guesses import CodeTries, TooManyGuesses
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import N_
from frontdesk_display.kiosk import flow as kiosk_flow
from frontdesk_display.kiosk.sessions import KioskEntry, KioskSessions


def _place(request: Request) -> tuple[Centre, Kiosk] | None:
    hub: Hub = request.app.state.hub
    try:
        centre = hub.fd.config.centre(request.path_params["centre_id"])
    except KeyError:
        return None
    kiosk = next((k for k in centre.kiosks if k.id == request.path_params["kiosk_id"]), None)
    return (centre, kiosk) if kiosk is not None else None


def _home(request: Request) -> str:
    p = request.path_params
    return str(request.url_for("kiosk", centre_id=p["centre_id"], kiosk_id=p["kiosk_id"]))


def _step_url(request: Request, entry: KioskEntry) -> str:
    return f"{_home(request)}/s/{entry.id}"


def _context(request: Request, centre: Centre, language: str) -> dict[str, Any]:
    hub: Hub = request.app.state.hub
    return {
        "centre": centre,
        "lang": language,
        "home": _home(request),
        "idle_ms": int(hub.settings.kiosk_idle.total_seconds() * 1000),
        "action": "",
        "logo": hub.settings.theme.logo is not None,
        "logo_alt": hub.settings.theme.logo_alt or hub.fd.config.site.name,
    }


async def kiosk_home(request: Request) -> Response:
    """The start screen: choose a language."""
    hub: Hub = request.app.state.hub
    place = _place(request)
    if place is None:
        return not_found(request, N_("There is no such kiosk."), public=True)
    centre, _ = place
    languages = [
        (code, LANGUAGE_NAMES.get(code, code), words_of(request, code))
        for code in hub.fd.config.site.languages
    ]
    context = _context(request, centre, hub.fd.config.site.languages[0])
    return render(request, "kiosk_start.html", {**context, "languages": languages}, public=True)


async def kiosk_start(request: Request) -> Response:
    """Start a session in the chosen language."""
    hub: Hub = request.app.state.hub
    place = _place(request)
    if place is None:
        return not_found(request, N_("There is no such kiosk."), public=True)
    centre, kiosk = place
    form = await request.form()
    language = form.get("language")
    if not isinstance(language, str) or language not in hub.fd.config.site.languages:
        return RedirectResponse(_home(request), status_code=303)
    try:
        session = await hub.core.run(kiosk_flow.start, hub.fd, centre.id, language)
    except FrontdeskError:  # a centre without a referral tree
        return not_found(request, N_("This kiosk has no questions to ask yet."), public=True)
    sessions: KioskSessions = request.app.state.kiosks
    entry = sessions.add(centre.id, kiosk.id, language, session)
    return RedirectResponse(_step_url(request, entry), status_code=303)


def _entry(request: Request) -> KioskEntry | None:
    sessions: KioskSessions = request.app.state.kiosks
    entry = sessions.get(request.path_params["session_id"])
    if entry is None or entry.kiosk_id != request.path_params["kiosk_id"]:
        return None
    return entry


async def kiosk_step(request: Request) -> Response:
    """The current question, checklist or information, or the result."""
    hub: Hub = request.app.state.hub
    place = _place(request)
    entry = _entry(request)
    if place is None or entry is None:
        return RedirectResponse(_home(request) if place else "/", status_code=303)
    centre, _ = place
    context = _context(request, centre, entry.language)
    if entry.result is not None:
        return render(
            request,
            "kiosk_result.html",
            {**context, "result": entry.result, "action": _step_url(request, entry)},
            public=True,
        )
    step = await hub.core.run(kiosk_flow.step_of, entry.session)
    return render(
        request,
        "kiosk_step.html",
        {**context, "step": step, "action": _step_url(request, entry)},
        public=True,
    )


ON_RESULT = {"book": ("slot", kiosk_flow.book), "turn_soon": ("phone", kiosk_flow.turn_soon)}
"""What a citizen may do on the result page: the form field each takes, and the action."""


async def kiosk_answer(request: Request) -> Response:
    """Answer, go back, start again, or check in; then show the next step."""
    hub: Hub = request.app.state.hub
    place = _place(request)
    entry = _entry(request)
    if place is None or entry is None:
        return RedirectResponse(_home(request) if place else "/", status_code=303)
    form = await request.form()
    verb = form.get("do", "answer")
    sessions: KioskSessions = request.app.state.kiosks
    if verb in ("restart", "timeout"):
        # Leaving before the end is recorded where it happened (the tree's statistics).
        await hub.core.run(kiosk_flow.leave, entry.session, verb == "timeout")
        sessions.drop(entry.id)
        return RedirectResponse(_home(request), status_code=303)
    error: str | None = None
    status = 422
    retry_after: int | None = None
    try:
        if verb == "back":
            await hub.core.run(entry.session.back)
        elif verb in ON_RESULT and entry.result is not None:
            field, action = ON_RESULT[verb]
            typed = form.get(field)
            entry.result = await hub.core.run(
                action,
                hub.fd,
                entry.result,
                typed if isinstance(typed, str) else "",
                entry.language,
            )
        elif verb == "check_in":
            code = form.get("code")
            typed = code if isinstance(code, str) else ""
            tries = CodeTries.of(request, kiosk_id=entry.kiosk_id)
            tries.check()
            done = await hub.core.run(
                tries.attempt,
                lambda: kiosk_flow.check_in(hub.fd, entry.session, entry.kiosk_id, typed),
            )
            entry.result = await kiosk_flow.finish(hub.fd, done)
        else:
            option = form.get("option")
            have = [d for d in form.getlist("have") if isinstance(d, str)]
            finished = await hub.core.run(
                _answer, hub, entry, option if isinstance(option, str) else None, have
            )
            if finished is not None:
                entry.result = await kiosk_flow.finish(hub.fd, finished)
    except TooManyGuesses as exc:
        error = words_of(request, entry.language).gettext(TOO_MANY_CODES)
        status, retry_after = 429, exc.retry_after
    except FrontdeskError as exc:
        error = error_text(exc, words_of(request, entry.language))
    if error is not None:
        centre, _ = place
        context = {**_context(request, centre, entry.language), "error": error}
        context["action"] = _step_url(request, entry)
        if entry.result is not None:
            context["result"] = entry.result
            response = render(
                request, "kiosk_result.html", context, status_code=status, public=True
            )
        else:
            context["step"] = await hub.core.run(kiosk_flow.step_of, entry.session)
            response = render(request, "kiosk_step.html", context, status_code=status, public=True)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response
    return RedirectResponse(_step_url(request, entry), status_code=303)


def _answer(hub: Hub, entry: KioskEntry, option: str | None, have: list[str]) -> KioskResult | None:
    """Answer a step; when the walk is over, carry out its outcome (printed afterwards)."""
    kiosk_flow.answer(entry.session, option, have)
    if entry.session.done and not kiosk_flow.needs_code(entry.session):
        return kiosk_flow.complete(hub.fd, entry.session, entry.kiosk_id)
    return None


CHOOSE_LANGUAGE = N_("Choose your language")
"""The start screen's question, asked in every language of the site at once."""


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    base = "/kiosk/{centre_id}/{kiosk_id}"
    return [
        Route(base, kiosk_home, name="kiosk", methods=["GET"]),
        Route(base + "/start", kiosk_start, methods=["POST"]),
        Route(base + "/s/{session_id}", kiosk_step, methods=["GET"]),
        Route(base + "/s/{session_id}", kiosk_answer, methods=["POST"]),
    ]
