"""The ``display:`` section of the configuration: users, the info pane and sessions."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt, StringConstraints

from frontdesk_core.api import Config, Duration, Identifier, LanguageCode, Model, Text
from frontdesk_display.theme import Theme

SECTION = "display"

PasswordHash = Annotated[
    str,
    StringConstraints(
        strict=True, pattern=r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$"
    ),
    Field(description="A hash made with 'frontdesk hash-password' (never the password itself)."),
]


class User(Model):
    """A member of staff who signs in to the employee or manager dashboard."""

    username: Identifier
    role: Literal["employee", "manager"]
    password_hash: PasswordHash
    name: str | None = Field(None, description="Shown on the dashboard instead of the username.")
    ref: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_-]{1,32}$")] | None = (
        Field(
            None,
            description=(
                "What the event log records for this user (initials or a staff number, never "
                "a name); default: the username."
            ),
        )
    )
    centres: list[Identifier] | None = Field(
        None, description="Centres the user works at; default: every centre."
    )
    language: Identifier | None = Field(
        None,
        description=(
            "The language of this user's pages (one with a catalog: da, en, ar...) until "
            "they choose another at the top of a page; default: the site's first language."
        ),
    )


class SessionSettings(Model):
    """How staff sessions behave."""

    max_age: Duration = Field(timedelta(hours=10), description="Sign out after this long.")
    secure_cookies: Literal["auto"] | StrictBool = Field(
        "auto",
        description=(
            "Send the session cookie over HTTPS only; 'auto': yes unless the server listens "
            "on a loopback address."
        ),
    )
    secret_file: str | None = Field(
        None,
        description=(
            "A file holding the key that signs session cookies (kept across restarts); "
            "default: the FRONTDESK_SECRET_KEY environment variable, else a file next to the "
            "database ('frontdesk serve --db X' keeps it in X.key)."
        ),
    )


_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _quiet_range(value: str) -> str:
    """A quiet-hours range like ``12:00-12:30`` whose end is after its start."""
    match = _RANGE.match(value)
    if match is None:
        raise ValueError(f"'{value}' is not a time range; write it like '12:00-12:30'")
    start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
    if (end_h, end_m) <= (start_h, start_m) or (end_h == 24 and end_m):
        raise ValueError(f"the time range '{value}' ends before it starts")
    return value


QuietRange = Annotated[
    str,
    StringConstraints(strict=True),
    AfterValidator(_quiet_range),
    Field(description="A time range like '12:00-12:30' (site time)."),
]


def in_range(moment: time, value: str) -> bool:
    """Whether ``moment`` falls inside a :data:`QuietRange` (start inclusive, end exclusive)."""
    start, end = value.split("-")
    now = f"{moment.hour:02d}:{moment.minute:02d}"
    return start <= now < end


class ScreenSpeech(Model):
    """How an info screen says the calls aloud."""

    enabled: StrictBool = Field(True, description="Say every call and recall aloud.")
    languages: list[LanguageCode] | None = Field(
        None, description="The languages the call is said in, in order; default: the site's."
    )
    volume: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1)] = Field(
        0.8, description="Loudness from 0 (silent) to 1 (the screen's full volume)."
    )
    quiet_hours: list[QuietRange] = Field(
        [], description="Times of day when calls are shown but not said, e.g. ['12:00-12:30']."
    )


class SpeechSettings(Model):
    """Spoken calls on the info screens and the talking kiosk."""

    screens: ScreenSpeech = Field(
        default_factory=ScreenSpeech, description="Every info screen's speech, unless listed."
    )
    screen: dict[Identifier, ScreenSpeech] = Field(
        {}, description="The speech of particular info screens, by their id."
    )
    voices: dict[
        LanguageCode,
        Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_+-]{1,40}$")],
    ] = Field({}, description="espeak-ng's voice for a language (default: the language's own).")
    clips: str | None = Field(
        None,
        description="A folder of recorded clips, one sub-folder per language and one WAV per word.",
    )
    cache: str | None = Field(
        None, description="Where spoken sentences are kept (default: a folder under /tmp)."
    )
    kiosk: StrictBool = Field(True, description="Offer the kiosk's speech mode.")

    def for_screen(self, screen_id: str | None) -> ScreenSpeech:
        """The speech of the info screen ``screen_id`` (the whole centre's screen: ``None``)."""
        if screen_id is not None and screen_id in self.screen:
            return self.screen[screen_id]
        return self.screens


class DisplaySettings(Model):
    """The display plugin's settings: who may sign in and what the screens show."""

    users: list[User] = []
    info: Text | None = Field(None, description="The info pane's text until a manager edits it.")
    session: SessionSettings = Field(default_factory=SessionSettings)
    kiosk_idle: Duration = Field(
        timedelta(seconds=60), description="A kiosk left alone this long starts again."
    )
    announce: Duration = Field(
        timedelta(seconds=8), description="How long an info screen highlights a new call."
    )
    theme: Theme = Field(
        default_factory=Theme, description="The municipality's logo, colours and font."
    )
    speech: SpeechSettings = Field(default_factory=SpeechSettings)

    def user(self, username: str) -> User | None:
        """The user with this name, if any."""
        return next((u for u in self.users if u.username == username), None)


def settings_of(config: Config) -> DisplaySettings:
    """The display settings of a configuration (the defaults when it has no section)."""
    section = config.sections.get(SECTION)
    return section if isinstance(section, DisplaySettings) else DisplaySettings()
