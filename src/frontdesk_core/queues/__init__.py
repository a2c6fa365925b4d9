"""Tickets, queues, counters, call-next policies and wait estimates.

* :mod:`~frontdesk_core.queues.engine`: :class:`QueueEngine`, reached as ``fd.queues``;
  every command is one durable store transaction, then its hook.
* :mod:`~frontdesk_core.queues.state`: the event kinds and the reducer that derives
  the live state from the log (and rebuilds it on start).
* :mod:`~frontdesk_core.queues.tickets`, :mod:`~frontdesk_core.queues.counters`: the
  records hooks and integrators see.
* :mod:`~frontdesk_core.queues.numbering`: ticket numbers per queue and service day.
* :mod:`~frontdesk_core.queues.policy`, :mod:`~frontdesk_core.queues.policies`: who is
  called next.
* :mod:`~frontdesk_core.queues.estimates`: people ahead and expected minutes.

The engine is imported from its module (not re-exported here) because the
plugin layer imports the ticket records from this package.
"""
