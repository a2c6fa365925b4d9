"""What the JSON API's modules share: its errors, and reading a moment from a body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request

from frontdesk_display.guesses import TooManyGuesses
from frontdesk_display.i18n import N_, Words, catalog_languages

TOO_MANY_CODES = N_("Too many wrong codes. Wait a minute and try again.")


class ApiError(Exception):
    """An API answer other than success."""

    def __init__(
        self, status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail
        self.headers = headers or {}


def moment(text: str, field: str) -> datetime:
    """A body's moment (already matched against :data:`api_models.Moment`) as a datetime;
    a date that does not exist (month 13) is refused with the field named."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(422, "invalid input", [{"loc": [field], "msg": "not a real time"}]) from None


def accepted_language(request: Request, fallback: str) -> str:
    """The first language of ``Accept-Language`` that has a catalog, else ``fallback``."""
    offered = catalog_languages()
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in offered:
                return candidate
    return fallback


def too_many(request: Request, exc: TooManyGuesses, language: str | None = None) -> ApiError:
    """A 429 in the citizen's language (the kiosk session's, else the one the client
    asks for in ``Accept-Language``, else the site's first)."""
    if language is None:
        language = accepted_language(request, request.app.state.fd.config.site.languages[0])
    words = Words(language)
    return ApiError(
        429, words.gettext(TOO_MANY_CODES), headers={"Retry-After": str(exc.retry_after)}
    )
