"""An example third-party frontdesk plugin, written against the public API only.

It adds a call-next policy (``queue_order``), an audit log of tickets issued and
called (a CSV line each, configured in an ``audit:`` section) and the command
``frontdesk audit``. See docs/tutorials/integrator.md.
"""

from __future__ import annotations

from frontdesk_example_plugin.audit import AuditLog, AuditSettings
from frontdesk_example_plugin.policy import QueueOrderPolicy

__all__ = ["AuditLog", "AuditSettings", "QueueOrderPolicy"]
