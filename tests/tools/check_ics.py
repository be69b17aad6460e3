"""Reads every .ics under a folder with Python icalendar (an independent
parser) and recurring-ical-events; prints `path count first-uid first-dtstart`,
or with `--json` every event as `{path: [[uid, dtstart, dtend], ...]}`."""
import datetime
import json
import pathlib
import sys

import icalendar
import recurring_ical_events



def ical_text(value):
    """DTSTART/DTEND as written: `20261203` or `20261103T150000Z`."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


as_json = "--json" in sys.argv[1:]
root = pathlib.Path([a for a in sys.argv[1:] if a != "--json"][0])
dump = {}
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
    rel = path.relative_to(root).as_posix()
    dump[rel] = [[str(e["UID"]), ical_text(e.decoded("DTSTART")), ical_text(e.decoded("DTEND"))] for e in events]
    if as_json:
        continue
    if events:
        print(rel, len(events), events[0]["UID"], ical_text(events[0].decoded("DTSTART")))
    else:
        print(rel, 0, "-", "-")
if as_json:
    print(json.dumps(dump))
