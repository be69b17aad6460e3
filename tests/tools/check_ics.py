"""Reads every .ics under a folder with Python icalendar (an independent
parser) and recurring-ical-events; prints `path count first-uid first-dtstart`."""
import datetime
import pathlib
import sys

import icalendar
import recurring_ical_events

root = pathlib.Path(sys.argv[1])
for path in sorted(root.rglob("*.ics")):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    # Expanding over a wide window must find every (non-recurring) event once.
    expanded = recurring_ical_events.of(cal).between(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))
    assert len(expanded) == len(events), (path, len(expanded), len(events))
    for e in events:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert end > start, (path, e["UID"])
        if isinstance(start, datetime.datetime):
            assert start.tzinfo is not None and start.utcoffset() == datetime.timedelta(0), (path, e["UID"])
        for key in ("UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "STATUS"):
            assert key in e, (path, key)
    first = events[0] if events else None
    if first is not None:
        start = first.decoded("DTSTART")
        text = start.strftime("%Y%m%dT%H%M%SZ") if isinstance(start, datetime.datetime) else start.strftime("%Y%m%d")
        print(path.relative_to(root), len(events), first["UID"], text)
    else:
        print(path.relative_to(root), 0, "-", "-")
