"""The hooks an application listens to: every change is pushed to the screens.

One :class:`Listener` is registered per running application on that
application's plugin manager. Hooks arrive on the core's thread (or a device
plugin's own thread); the listener only hands them to the :class:`Hub`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk_core.booking.records import Booking
from frontdesk_core.devices import DeviceFault, ScreenState
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.queues.tickets import Ticket

if TYPE_CHECKING:
    from frontdesk_display.hub import Hub


class Listener:
    """Hook implementations bound to one :class:`Hub`."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
        """A new ticket changes the waiting counts."""
        self.hub.changed(ticket.centre_id)

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Ticket, counter_id: str) -> None:
        """Announce the number on the screens at once, then refresh them."""
        self.hub.announce(ticket, counter_id, recall=False)

    @hookimpl
    def frontdesk_ticket_recalled(self, ticket: Ticket, counter_id: str) -> None:
        """Announce the number again."""
        self.hub.announce(ticket, counter_id, recall=True)

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Ticket) -> None:
        """The counter is free again."""
        self.hub.changed(ticket.centre_id)

    @hookimpl
    def frontdesk_ticket_no_show(self, ticket: Ticket) -> None:
        """The number leaves the screen."""
        self.hub.changed(ticket.centre_id)

    @hookimpl
    def frontdesk_ticket_transferred(self, ticket: Ticket, from_queue: str) -> None:
        """Two queues' counts change."""
        self.hub.changed(ticket.centre_id)

    @hookimpl
    def frontdesk_citizen_checked_in(self, booking: Booking, ticket: Ticket) -> None:
        """The employee's pop-up."""
        self.hub.checked_in(booking, ticket)

    @hookimpl
    def frontdesk_render_display(self, screen: ScreenState) -> None:
        """The core says a centre's screens changed."""
        self.hub.changed(screen.centre_id)

    @hookimpl
    def frontdesk_device_fault(self, fault: DeviceFault) -> None:
        """Keep the fault and show it to the managers."""
        self.hub.fault(fault)
