"""The core's own cross-checks of referral trees and booking rules, as a plugin.

They are registered through ``frontdesk_config_checks`` like a third party's,
so the configuration loader knows no area of the core and imports none.
"""

from __future__ import annotations

from collections.abc import Callable

from frontdesk_core.booking.checks import check_booking
from frontdesk_core.config.loader import Reporter
from frontdesk_core.config.models import Config
from frontdesk_core.hookspecs import ConfigCheck, hookimpl
from frontdesk_core.referral.checks import check_trees


def check_referral_trees(config: Config, reporter: Reporter) -> None:
    """Every tree's references, structure and conditions (:mod:`frontdesk_core.referral.checks`)."""
    check_trees(config, reporter.context, reporter)


def check_booking_rules(config: Config, reporter: Reporter) -> None:
    """Booking rules the engine would stumble on (:mod:`frontdesk_core.booking.checks`)."""
    check_booking(config, reporter.context, reporter)


@hookimpl
def frontdesk_config_checks(register: Callable[[ConfigCheck], None]) -> None:
    """Register the referral tree and booking rule checks."""
    register(check_referral_trees)
    register(check_booking_rules)
