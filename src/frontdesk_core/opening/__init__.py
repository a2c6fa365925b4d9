"""Opening hours, exceptions and Danish public holidays."""

from frontdesk_core.opening.holidays import danish_holidays, easter_sunday
from frontdesk_core.opening.hours import OpeningCalendar

__all__ = ["OpeningCalendar", "danish_holidays", "easter_sunday"]
