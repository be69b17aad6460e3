#!/usr/bin/env python3
"""Converts the Node.js release schedule (schedule.json, as published at
https://github.com/nodejs/Release) into shipdate release files.

Usage: python3 convert.py SCHEDULE.json [NOW]

Writes content/releases/<start>-<line>.md next to this script, one file per
release line: the line's start is the ship date, its phases become
`support:` (Current, Active LTS, Maintenance; each ends the day before the
next starts) and its end becomes `eol:`. Lines that start after NOW
(YYYY-MM-DD, default 2026-11-23) are `planned` with `roadmap: day`, so their
exact dates are public. Python 3 standard library only.
"""

import datetime
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def day_before(text):
    return (datetime.date.fromisoformat(text) - datetime.timedelta(days=1)).isoformat()


def phases(line):
    """(name, last day) of each phase, in order."""
    starts = [("Current", line["start"])]
    if "lts" in line:
        starts.append(("Active LTS", line["lts"]))
    if "maintenance" in line:
        starts.append(("Maintenance", line["maintenance"]))
    if len(starts) == 1:
        return []
    ends = [day_before(start) for _, start in starts[1:]] + [line["end"]]
    return [(name, end) for (name, _), end in zip(starts, ends)]


def release_file(name, line, now):
    number = name.lstrip("v")
    codename = line.get("codename") or ""
    planned = line["start"] > now
    kind = "LTS" if "lts" in line else "Current"
    title = f"Node.js {number}" + (f" ({codename})" if codename else "")
    out = [
        "---",
        f"id: {name.replace('.', '-')}",
        f'title: "{title}"',
        f'version: "{number}"',
        "team: release",
        "type: line",
        f"status: {'planned' if planned else 'shipped'}",
        f"date: {line['start']}",
        f'series: "{number}"',
        f'summary: "Node.js {number}, a {kind} release line."',
    ]
    if planned:
        out.append("roadmap: day")
    if "alpha" in line:
        out += ["milestones:", f"  - {{name: Alpha releases begin, date: {line['alpha']}}}"]
    support = phases(line)
    if support:
        out.append("support:")
        out += [f"  - {{name: {p}, until: {end}}}" for p, end in support]
    out.append(f"eol: {line['end']}")
    out.append(f"extra: {{codename: \"{codename}\", schedule_key: \"{name}\"}}")
    out += [
        "---",
        "## About this line {.external}",
        "",
        f"Release line {number} of Node.js. Dates from the Node.js release schedule.",
        "",
    ]
    return "\n".join(out)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    schedule = json.loads(pathlib.Path(sys.argv[1]).read_text())
    now = sys.argv[2] if len(sys.argv) == 3 else "2026-11-23"
    folder = HERE / "content" / "releases"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    for name, line in schedule.items():
        path = folder / f"{line['start']}-{name.replace('.', '-')}.md"
        path.write_text(release_file(name, line, now))
    print(f"wrote {len(schedule)} release files to {folder}")


if __name__ == "__main__":
    main()
