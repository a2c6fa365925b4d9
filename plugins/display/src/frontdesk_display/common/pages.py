"""Rendering pages: the context every template gets (language, direction, words), flash
messages and error pages."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from frontdesk_core.api import FrontdeskError
from frontdesk_display.auth import Authenticator, AuthError, csrf_token
from frontdesk_display.common.errors import error_text
from frontdesk_display.i18n import Words, catalog_languages

FLASH_KEY = "flash"
LANGUAGE_KEY = "lang"
"""Where a member of staff's chosen language is kept in the session."""


def staff_languages(request: Request) -> list[str]:
    """The languages staff may choose: those with a catalog, the site's own first."""
    site = list(request.app.state.fd.config.site.languages)
    offered = catalog_languages()
    return [c for c in site if c in offered] + [c for c in offered if c not in site]


def language_of(request: Request) -> str:
    """The language of a staff or error page: chosen with ``?lang=`` (and then kept in the
    session), else chosen before, else the user's own, else the site's first language."""
    offered = staff_languages(request)
    wanted = request.query_params.get("lang", "")
    session = request.scope.get("session")
    if wanted in offered:
        if session is not None:
            session[LANGUAGE_KEY] = wanted
        return wanted
    if session is not None and session.get(LANGUAGE_KEY) in offered:
        return str(session[LANGUAGE_KEY])
    if session is not None:
        auth: Authenticator = request.app.state.auth
        user = auth.current(request)
        if user is not None and user.language in offered:
            return user.language
    return str(request.app.state.fd.config.site.languages[0])


def words_of(request: Request, language: str | None = None) -> Words:
    """The words of the page ``request`` is for, in its site's time zone."""
    return Words(language or language_of(request), request.app.state.fd.tz)


def flash_error(request: Request, error: FrontdeskError, language: str | None = None) -> None:
    """Show what went wrong, in the reader's language, on the next page."""
    flash(request, error_text(error, words_of(request, language)))


def flash_text(request: Request, message: str, kind: str = "error") -> None:
    """Show a message id (marked with ``N_``) in the reader's language on the next page."""
    flash(request, words_of(request).gettext(message), kind)


def flash(request: Request, message: str, kind: str = "error") -> None:
    """Show ``message`` (already in the reader's language) on the next page this browser
    renders."""
    messages = list(request.session.get(FLASH_KEY, []))[-4:]
    messages.append({"kind": kind, "text": message})
    request.session[FLASH_KEY] = messages


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    public: bool = False,
) -> Response:
    """Render a template with the user, the CSRF token and pending flash messages.

    ``public`` pages (kiosk, info screen) never touch the session: they carry no
    cookie at all, which also keeps a busy kiosk's steps cheap.
    """
    language = str(context.get("lang") or language_of(request))
    words = words_of(request, language)
    spoken = {"lang": language, "dir": words.dir, "words": words}
    if public:
        full = {"user": None, "csrf": "", "flashes": [], **spoken, **context}
    else:
        auth: Authenticator = request.app.state.auth
        full = {
            "user": auth.current(request),
            "csrf": csrf_token(request),
            "flashes": request.session.pop(FLASH_KEY, []),
            "staff_languages": staff_languages(request),
            **spoken,
            **context,
        }
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, full, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def not_found(request: Request, message: str, *, public: bool = False) -> Response:
    """A 404 page; ``message`` is a message id, said in the reader's language."""
    words = words_of(request)
    context = {"title": words.gettext("Not found"), "message": words.gettext(message)}
    return render(request, "message.html", context, status_code=404, public=public)


def redirect(request: Request, name: str, **params: str) -> Response:
    """A 303 redirect to a named route (after a form post)."""
    return RedirectResponse(request.url_for(name, **params), status_code=303)


def denied(request: Request, error: AuthError) -> Response:
    """Send a browser to the sign-in page, or show why it is refused."""
    if error.status == 401:
        return RedirectResponse(
            f"{request.url_for('login')}?next={request.url.path}", status_code=303
        )
    words = words_of(request)
    context = {"title": words.gettext("Not allowed"), "message": words.gettext(error.message)}
    return render(request, "message.html", context, status_code=403)
