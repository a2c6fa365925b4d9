"""The ``display:`` section of the configuration: users, the info pane and sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from frontdesk_core.api import Config, Duration, Identifier, Model, Text
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

    def user(self, username: str) -> User | None:
        """The user with this name, if any."""
        return next((u for u in self.users if u.username == username), None)


def settings_of(config: Config) -> DisplaySettings:
    """The display settings of a configuration (the defaults when it has no section)."""
    section = config.sections.get(SECTION)
    return section if isinstance(section, DisplaySettings) else DisplaySettings()
