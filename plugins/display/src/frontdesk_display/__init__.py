"""frontdesk-display: the kiosk page, live info screens, staff dashboards and a JSON API.

``frontdesk serve CONFIG`` runs everything as one ASGI application; integrators
can also build it themselves with :func:`create_app`.
"""

from __future__ import annotations

from frontdesk_display.app import create_app
from frontdesk_display.settings import DisplaySettings, SessionSettings, User

__all__ = ["DisplaySettings", "SessionSettings", "User", "create_app"]
