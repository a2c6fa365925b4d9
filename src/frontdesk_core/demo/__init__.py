"""A live demonstration: a centre open whatever the hour, with simulated citizens.

:class:`RunningClock` starts on a weekday morning and runs forward; :class:`DemoDriver`
brings the citizens of a planner's scenario to the kiosks and the employees to the
counters, through the real engines, so screens, dashboards and statistics move.
"""

from frontdesk_core.demo.clock import RunningClock, demo_morning, demo_start
from frontdesk_core.demo.driver import DemoDriver, DemoStep

__all__ = ["DemoDriver", "DemoStep", "RunningClock", "demo_morning", "demo_start"]
