"""The words for the core's states and kinds, as people read them (the core's values
"called", "serving", "sick"... are names for programs, never shown)."""

from __future__ import annotations

from frontdesk_display.i18n import N_

TICKET_STATES = {
    "waiting": N_("Waiting"),
    "called": N_("Called, on the way"),
    "serving": N_("At the counter"),
    "done": N_("Finished"),
    "no_show": N_("Did not come"),
    "cancelled": N_("Cancelled"),
    "closed": N_("Closed at the end of the day"),
}
COUNTER_STATES = {"closed": N_("Closed"), "open": N_("Open"), "paused": N_("Paused")}
BOOKING_STATES = {
    "booked": N_("Booked"),
    "checked_in": N_("Checked in"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("Did not come"),
    "done": N_("Finished"),
}
ABSENCE_REASONS = {
    "sick": N_("Illness"),
    "leave": N_("Holiday or leave"),
    "training": N_("Course or training"),
    "meeting": N_("Meeting"),
    "other": N_("Other"),
}
FAULT_KINDS = {
    "error": N_("the printer failed"),
    "plugin_error": N_("the printer's plugin failed"),
    "paper_out": N_("out of paper"),
    "unreachable": N_("cannot be reached"),
    "sms_failed": N_("an SMS could not be sent"),
    "sms_gateway_unreachable": N_("the SMS gateway cannot be reached"),
    "sms_provider_unavailable": N_("the SMS provider is not available"),
    "sms_inbound_unavailable": N_("SMS replies cannot be received"),
}
"""What went wrong with a device, by the kind its plugin reports."""
PRINTER_AT = N_("Printer at %(kiosk)s")

LABELS = {
    "ticket": TICKET_STATES,
    "counter": COUNTER_STATES,
    "booking": BOOKING_STATES,
    "absence": ABSENCE_REASONS,
    "fault": FAULT_KINDS,
}
"""Every table, by the name templates use (``labels.counter[status]``)."""


def label(table: dict[str, str], value: str) -> str:
    """The message id for ``value`` (the value itself when the table has none)."""
    return table.get(value, value)
