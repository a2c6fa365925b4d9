"""What the JSON API's modules share: its errors, and reading a moment from a body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request

from frontdesk_display.common.texts import kiosk_text, preferred_language
from frontdesk_display.guesses import TooManyGuesses


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


def too_many(request: Request, exc: TooManyGuesses, language: str | None = None) -> ApiError:
    """A 429 in the citizen's language (the kiosk session's, else the one the client
    asks for in ``Accept-Language``)."""
    if language is None:
        offered = list(request.app.state.hub.fd.config.site.languages)
        language = preferred_language(request.headers.get("accept-language", ""), offered)
    return ApiError(
        429, kiosk_text("too_many", language), headers={"Retry-After": str(exc.retry_after)}
    )
