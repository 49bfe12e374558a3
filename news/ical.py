"""iCalendar (RFC 5545) of reception schedules, written by hand: a few VEVENTs need no library.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text values escape
backslash, semicolon, comma and newlines; times are UTC ("Z"), so no VTIMEZONE is needed; every
event has a stable UID and a DTSTAMP.
"""

import datetime

from django.conf import settings
from django.utils import timezone

PRODID = "-//Cong dan so Hai Phong//Lich tiep dan//VI"


def escape(text):
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Split a content line into 75-octet pieces, continuation lines starting with a space."""
    data = line.encode()
    pieces, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while end > start and (data[end] & 0xC0) == 0x80:  # not inside a multi-byte character
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, 74
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()


def utc(value):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host():
    return settings.SITE_ROOT.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def calendar(schedules, *, name):
    stamp = utc(timezone.now())
    root = settings.SITE_ROOT.rstrip("/")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape(name)}")
    for schedule in schedules:
        description = f"{schedule.get_kind_display()}. {schedule.host}"
        if schedule.note:
            description += f". {schedule.note}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:schedule-{schedule.pk}@{_host()}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc(schedule.starts_at)}",
            f"DTEND:{utc(schedule.ends_at)}",
            f"SUMMARY:{escape(schedule.title)}",
            f"LOCATION:{escape(schedule.place)}",
            f"DESCRIPTION:{escape(description)}",
            f"LAST-MODIFIED:{utc(schedule.updated_at)}",
            f"URL:{root}/tin-tuc/lich-tiep-dan/",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
