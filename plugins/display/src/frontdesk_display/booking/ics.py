"""A booking as an iCalendar file (RFC 5545), for the citizen's own calendar.

The file holds what the confirmation page shows (the errand, the time, the place,
the code) and nothing personal: no name, no phone number.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Calendar, Event

from frontdesk_core.api import Booking, Frontdesk, text_in
from frontdesk_display.i18n import Words

PRODUCT = "-//frontdesk//booking//EN"


def calendar_file(fd: Frontdesk, booking: Booking, words: Words) -> bytes:
    """The ``.ics`` bytes of ``booking``, its texts in ``words``'s language."""
    config = fd.config
    service = config.service(booking.service_id)
    centre = config.centre(booking.centre_id)
    language = words.language
    name = text_in(service.name, language, config.site.languages[0])
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.id}@frontdesk")
    event.add("dtstamp", fd.clock.now())
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", name)
    if booking.channel == "phone":
        where = words.gettext("We call you on your mobile number.")
    else:
        where = f"{text_in(centre.name, language, config.site.languages[0])}, {centre.address}"
        event.add("location", where)
    lines = [words.gettext("Your code: %(code)s", code=booking.code), where]
    documents = [text_in(config.document(d).name, language, "da") for d in service.documents]
    if documents:
        lines.append(words.gettext("Bring:") + " " + ", ".join(documents))
    event.add("description", "\n".join(lines))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", name)
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
