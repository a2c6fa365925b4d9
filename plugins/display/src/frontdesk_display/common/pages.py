"""Rendering pages: the context every template gets, flash messages and error pages."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from frontdesk_display.auth import Authenticator, AuthError, csrf_token

FLASH_KEY = "flash"


def flash(request: Request, message: str, kind: str = "error") -> None:
    """Show ``message`` on the next page this browser renders."""
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
    if public:
        full = {"user": None, "csrf": "", "flashes": [], **context}
    else:
        auth: Authenticator = request.app.state.auth
        full = {
            "user": auth.current(request),
            "csrf": csrf_token(request),
            "flashes": request.session.pop(FLASH_KEY, []),
            **context,
        }
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, full, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def not_found(request: Request, message: str) -> Response:
    """A plain 404 page."""
    return render(
        request, "message.html", {"title": "Not found", "message": message}, status_code=404
    )


def redirect(request: Request, name: str, **params: str) -> Response:
    """A 303 redirect to a named route (after a form post)."""
    return RedirectResponse(request.url_for(name, **params), status_code=303)


def denied(request: Request, error: AuthError) -> Response:
    """Send a browser to the sign-in page, or show why it is refused."""
    if error.status == 401:
        return RedirectResponse(
            f"{request.url_for('login')}?next={request.url.path}", status_code=303
        )
    return render(
        request, "message.html", {"title": "Not allowed", "message": error.message}, status_code=403
    )
