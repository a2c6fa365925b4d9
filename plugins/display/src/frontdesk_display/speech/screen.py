"""What an info screen's script needs to know to say the calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontdesk_display.hub import Hub


def screen_speech(hub: Hub, screen_id: str | None, centre_id: str) -> dict[str, Any]:
    """The speech settings of one info screen, for its page (``speak`` messages follow)."""
    settings = hub.settings.speech.for_screen(screen_id)
    return {
        "key": f"{centre_id}/{screen_id or ''}",
        "enabled": settings.enabled and hub.speech.speaks,
        "configured": settings.enabled,
        "languages": list(settings.languages or hub.fd.config.site.languages),
        "volume": float(settings.volume),
        "quiet_hours": list(settings.quiet_hours),
        "preload": hub.announcer.preload(centre_id) if settings.enabled else [],
    }
