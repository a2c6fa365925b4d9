"""What the JSON API's modules share: its error, and reading a moment from a body."""

from __future__ import annotations

from datetime import datetime
from typing import Any


class ApiError(Exception):
    """An API answer other than success."""

    def __init__(self, status: int, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail


def moment(text: str, field: str) -> datetime:
    """A body's moment (already matched against :data:`api_models.Moment`) as a datetime;
    a date that does not exist (month 13) is refused with the field named."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(422, "invalid input", [{"loc": [field], "msg": "not a real time"}]) from None
