"""frontdesk-display: the kiosk page, live info screens, staff dashboards and a JSON API.

``frontdesk serve CONFIG`` runs everything as one ASGI application; integrators
can also build it themselves with :func:`create_app`. The web stack is imported
only when the application is built, so other ``frontdesk`` commands stay quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from frontdesk_display.settings import DisplaySettings, SessionSettings, User

if TYPE_CHECKING:
    from frontdesk_display.app import create_app

__all__ = ["DisplaySettings", "SessionSettings", "User", "create_app"]


def __getattr__(name: str) -> Any:
    """Import :func:`create_app` on first use."""
    if name == "create_app":
        from frontdesk_display.app import create_app

        return create_app
    raise AttributeError(name)
