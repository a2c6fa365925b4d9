"""Keeping the screens live: the core's worker thread, the display's own events and state,
what the screens show, and pushing changes to browsers (Server-Sent Events)."""
