"""The reception schedule as iCalendar (RFC 5545), built with the icalendar library.

Times carry TZID=Asia/Ho_Chi_Minh with its VTIMEZONE, so a calendar app shows 07:30 as 07:30 in
Vietnam whatever the subscriber's own zone. A changed session keeps its UID and raises SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from ..models import ReceptionSession, ReceptionStatus
from ..text import to_local, xml_safe


def _summary(session: ReceptionSession) -> str:
    who = " ".join(part for part in (session.receiver_title, session.receiver_name) if part)
    text = _("Citizen reception: %(who)s", who=who)
    if session.status == ReceptionStatus.POSTPONED:
        return f"[{_('Postponed')}] {text}"
    if session.status == ReceptionStatus.CANCELLED:
        return f"[{_('Cancelled')}] {text}"
    if session.status == ReceptionStatus.MOVED:
        return f"[{_('Moved')}] {text}"
    return text


def _status(session: ReceptionSession) -> str:
    if session.status in (ReceptionStatus.POSTPONED, ReceptionStatus.CANCELLED):
        return "CANCELLED"
    return "CONFIRMED"


def calendar(
    sessions: Iterable[ReceptionSession], site_name: str, host: str, page_url: str
) -> bytes:
    # Imported here: only this export needs the library, not every worker that serves pages.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//newsportal//Lich tiep cong dan//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{_('Citizen reception schedule')} - {site_name}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for session in sessions:
        event = Event()
        event.add("uid", f"reception-{session.id}@{host}")
        event.add("dtstamp", session.updated_at)
        event.add("last-modified", session.updated_at)
        event.add("sequence", session.sequence)
        event.add("dtstart", to_local(session.starts_at))
        event.add("dtend", to_local(session.end))
        # Rows stored before text cleaning may hold control characters RFC 5545 forbids.
        event.add("summary", xml_safe(_summary(session)))
        event.add("location", xml_safe(session.place))
        event.add("status", _status(session))
        if session.note:
            event.add("description", xml_safe(session.note))
        if page_url:
            event.add("url", page_url)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
