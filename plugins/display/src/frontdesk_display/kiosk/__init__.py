"""The kiosk: the touch page, the same sessions as JSON, and the steps of a session."""
