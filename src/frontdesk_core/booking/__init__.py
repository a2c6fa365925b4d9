"""Bookings: opening hours and slots, book / reschedule / cancel, check-in, reminders,
absences, and the state all of them read, derived from ``booking.*`` events.

``fd.booking`` is a :class:`~frontdesk_core.booking.engine.BookingEngine`; it is the
only face integrators use. Behind it, one module per part:

- ``events``: the event kinds and how payloads write times.
- ``ledger``: the state derived from the log and the reducer, the only code that
  changes it.
- ``journal``: the ledger kept in step with the store (catching up, the lock, the
  checkpoint); ``checkpoint`` is the checkpoint's format.
- ``rules``: checks the parts share (a bookable service, a channel, a booking still
  booked, a code as typed).
- ``personal``: the contact of a booking, kept apart from the events.
- ``lookups``, ``commands``, ``absences``, ``check_in``, ``duties``: what the engine
  answers and does, in the sections its public methods fall into.
- ``slots`` (the slot planner), ``matching`` and ``floor`` (whether a booking fits,
  moving others), ``fits`` (the matching's answers kept until an event changes
  them), ``model`` (booking rules in the configuration),
  ``records`` (the frozen records hooks see), ``phone``, ``checks``.

The parts are composed, not mixed in: each is a small class that receives the
narrow collaborators it uses (the journal, the slot planner, the configuration,
the hooks facade, the personal data, and a ``cancel`` callable or the queue
engine where it needs them), and the engine builds them and delegates to them.
Mixins would have shared every attribute of one big object again; with
composition each part's constructor says what it depends on, and none can
change booking state except through the ledger the journal feeds.
"""
