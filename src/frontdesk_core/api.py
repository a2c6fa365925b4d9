"""The public API: everything a plugin or an integrator needs, from one namespace.

    from frontdesk_core.api import Frontdesk, ManualClock, Ticket, TicketState, hookimpl

Plugins import from ``frontdesk_core`` only this module, :mod:`frontdesk_core.hookspecs`
(the hook specifications) and :mod:`frontdesk_core.testing` (the pytest plugin); an
import contract checked by ``make test`` keeps the plugins shipped with frontdesk
to that. Every name here is covered by the project's compatibility promise; the
modules behind it may move. ``docs/reference/api.md`` lists each name with its
documentation.

The groups:

* **running frontdesk**: :class:`Frontdesk`, the clocks, loading a configuration,
  the plugin manager.
* **records** that hooks receive and engines return: tickets, counters,
  bookings, devices, SMS, the outcomes of a kiosk session, a check-in or a
  housekeeping run.
* **events**: the records stored in the event log, and :func:`event_kind` for a
  plugin's own kinds.
* **extending**: :func:`hookimpl`, the :class:`CallPolicy` protocol and the
  :class:`Waiting` list it is handed, the types of what the registration hooks
  take, the configuration's building blocks, texts per language, and
  :func:`load_section` for a plugin's own configuration file.
* **errors**: one hierarchy under :class:`FrontdeskError`.
"""

from __future__ import annotations

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.check_in import CheckInAction, CheckInResult
from frontdesk_core.booking.phone import normalise_phone
from frontdesk_core.booking.records import (
    Absence,
    AbsenceReason,
    AbsenceResult,
    Booking,
    BookingState,
    Contact,
)
from frontdesk_core.booking.slots import Slot
from frontdesk_core.cli import main as cli_main
from frontdesk_core.clock import Clock, ManualClock, SystemClock
from frontdesk_core.config.loader import LoadContext, Reporter
from frontdesk_core.config.models import Centre, Config, Counter, InfoScreen, Kiosk, Service
from frontdesk_core.config.sections import check_section, load_section
from frontdesk_core.config.suggest import closest, did_you_mean, unknown
from frontdesk_core.config.types import (
    TEXT_MARKER,
    Duration,
    Identifier,
    LanguageCode,
    Model,
    Text,
    text_in,
)
from frontdesk_core.demo import DemoDriver, DemoStep, RunningClock, demo_start
from frontdesk_core.devices import (
    NO_PRINTER,
    CalledNumber,
    DeviceFault,
    PrintResult,
    QueueStatus,
    ScreenState,
    TicketPrint,
)
from frontdesk_core.errors import (
    CapacityError,
    CommandError,
    ConfigError,
    EventLogError,
    FrontdeskError,
    InvalidStateError,
    NotFoundError,
    PluginError,
    Problem,
    StoreError,
)
from frontdesk_core.events import (
    AbsenceRecorded,
    AbsenceWithdrawn,
    BookingCancelled,
    BookingCheckedIn,
    BookingCreated,
    BookingDone,
    BookingNoShow,
    BookingReassigned,
    BookingReminded,
    BookingRescheduled,
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    CounterSignedIn,
    CounterSignedOut,
    DayEnded,
    Event,
    ForeignPayload,
    KioskAbandoned,
    KioskCompleted,
    NewEvent,
    Payload,
    QueuesAssigned,
    TicketCalled,
    TicketCancelled,
    TicketClosed,
    TicketFinished,
    TicketIssued,
    TicketNoShow,
    TicketPutBack,
    TicketRecalled,
    TicketStarted,
    TicketTransferred,
    event_kind,
    upcaster,
)
from frontdesk_core.forecast.records import Band, Forecast, TicketForecast, describe, short
from frontdesk_core.forecast.service import Forecaster, forecaster
from frontdesk_core.hookspecs import (
    Command,
    CommandRun,
    ConditionFunction,
    ConfigCheck,
    hookimpl,
)
from frontdesk_core.housekeeping import HousekeepingReport, RuleFailure
from frontdesk_core.loading import check, load_config
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.opening.words import spoken_date, spoken_moment
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.estimates import WaitEstimate
from frontdesk_core.queues.policy import CallPolicy, Waiting
from frontdesk_core.queues.tickets import Ticket, TicketState
from frontdesk_core.referral.engine import KioskResult
from frontdesk_core.referral.outcomes import (
    BookTime,
    CheckIn,
    Closed,
    Outcome,
    Referred,
    SentHome,
    TakeTicket,
)
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario
from frontdesk_core.stats.referral import FlowFigures, ReferralReport

__all__ = [
    "NO_PRINTER",
    "TEXT_MARKER",
    "Absence",
    "AbsenceReason",
    "AbsenceRecorded",
    "AbsenceResult",
    "AbsenceWithdrawn",
    "Band",
    "BookTime",
    "Booking",
    "BookingCancelled",
    "BookingCheckedIn",
    "BookingCreated",
    "BookingDone",
    "BookingNoShow",
    "BookingReassigned",
    "BookingReminded",
    "BookingRescheduled",
    "BookingState",
    "CallPolicy",
    "CalledNumber",
    "CapacityError",
    "Centre",
    "CheckIn",
    "CheckInAction",
    "CheckInResult",
    "Clock",
    "Closed",
    "Command",
    "CommandError",
    "CommandRun",
    "ConditionFunction",
    "Config",
    "ConfigCheck",
    "ConfigError",
    "Contact",
    "Counter",
    "CounterClosed",
    "CounterOpened",
    "CounterPaused",
    "CounterResumed",
    "CounterSignedIn",
    "CounterSignedOut",
    "CounterState",
    "CounterStatus",
    "DayEnded",
    "DemoDriver",
    "DemoStep",
    "DeviceFault",
    "Duration",
    "Event",
    "EventLogError",
    "FlowFigures",
    "Forecast",
    "Forecaster",
    "ForeignPayload",
    "Frontdesk",
    "FrontdeskError",
    "Hooks",
    "HousekeepingReport",
    "Identifier",
    "InfoScreen",
    "InvalidStateError",
    "Kiosk",
    "KioskAbandoned",
    "KioskCompleted",
    "KioskResult",
    "LanguageCode",
    "LoadContext",
    "LoadedScenario",
    "ManualClock",
    "Model",
    "NewEvent",
    "NotFoundError",
    "Outcome",
    "Payload",
    "PluginError",
    "PrintResult",
    "Problem",
    "QueueStatus",
    "QueuesAssigned",
    "ReferralReport",
    "Referred",
    "Reporter",
    "RuleFailure",
    "RunningClock",
    "ScreenState",
    "SentHome",
    "Service",
    "Slot",
    "SmsReceipt",
    "SmsRequest",
    "StoreError",
    "SystemClock",
    "TakeTicket",
    "Text",
    "Ticket",
    "TicketCalled",
    "TicketCancelled",
    "TicketClosed",
    "TicketFinished",
    "TicketForecast",
    "TicketIssued",
    "TicketNoShow",
    "TicketPrint",
    "TicketPutBack",
    "TicketRecalled",
    "TicketStarted",
    "TicketState",
    "TicketTransferred",
    "WaitEstimate",
    "Waiting",
    "check",
    "check_section",
    "cli_main",
    "closest",
    "demo_start",
    "describe",
    "did_you_mean",
    "event_kind",
    "forecaster",
    "hookimpl",
    "load_config",
    "load_scenario",
    "load_section",
    "make_plugin_manager",
    "normalise_phone",
    "short",
    "spoken_date",
    "spoken_moment",
    "text_in",
    "unknown",
    "upcaster",
]
