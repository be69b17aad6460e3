#!/usr/bin/env python3
"""A git repository with a long release-file history, for timing the history stage.

    bench/gen_history_repo.py --files 10000 --commits 50000 --out /dev/shm/hist
    cargo run --release -- build --root /dev/shm/hist --now 2026-11-23 --verbose

Writes a shipdate site whose content/releases/*.md files were created, edited,
slipped, renamed and deleted over `--commits` commits with fixed author and
committer dates (2022-01-03 onwards, one every ~50 minutes), through one
`git fast-import` stream. Deterministic for a given --seed. `--shard` puts the
files in content/releases/<year>/ folders instead of one flat folder.
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys

TEAMS = ["payments", "identity", "search", "mobile", "web", "platform",
         "data", "billing", "notifications", "storage", "observability", "growth"]
TYPES = ["hotfix", "patch", "minor", "major"]
TYPE_WEIGHTS = [15, 40, 35, 10]
STATUSES = ["planned", "in-progress", "shipped", "delayed"]
PEOPLE = [f"{first} {last}" for first in
          ["Dana", "Sam", "Alex", "Robin", "Kim", "Jo", "Lee", "Noa"]
          for last in ["Ortiz", "Lee", "Park", "Meyer", "Rossi"]]
LINES = [
    "Retry transient 503 responses from the gateway.",
    "Paginate large result sets in the export job.",
    "Handle time zones around DST transitions.",
    "Cut memory use when parsing big payloads.",
    "Clearer errors for invalid configuration.",
    "Fix a race during concurrent writes.",
    "Support non-ASCII characters in CSV exports.",
    "Keyboard navigation in dialogs.",
]
START = dt.datetime(2022, 1, 3, 9, 0, tzinfo=dt.timezone.utc)


class Release:
    def __init__(self, rng, n, created):
        self.id = f"release-{n:05d}"
        self.team = rng.choice(TEAMS)
        self.kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        self.date = (created + dt.timedelta(days=rng.randint(14, 90))).date()
        self.status = "planned"
        self.owner = rng.choice(PEOPLE)
        self.milestones = []
        self.sections = {
            "What's new {.external}": [rng.choice(LINES)],
            "Known issues": [rng.choice(LINES)],
            "Support notes": [rng.choice(LINES)],
        }
        self.path = None

    def text(self):
        fm = [
            f"title: Release {self.id[8:]}",
            f"team: {self.team}",
            f"type: {self.kind}",
            f"status: {self.status}",
            f"date: {self.date.isoformat()}",
            f"summary: {self.id} for {self.team}.",
            f"owner: {self.owner}",
            "stakeholders: [support]",
        ]
        if self.milestones:
            fm.append("milestones:")
            fm += [f"  - {{name: {m}, at: T-{i + 1}w}}" for i, m in enumerate(self.milestones)]
        body = []
        for heading, lines in self.sections.items():
            body.append(f"## {heading}\n")
            body += [f"- {line}" for line in lines]
            body.append("")
        return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=50000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--shard", action="store_true")
    ap.add_argument("--gc", action="store_true", help="repack like a real clone afterwards")
    args = ap.parse_args()
    if args.commits < args.files:
        sys.exit("--commits must be at least --files (one commit creates each file)")
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    fi = subprocess.Popen(["git", "-C", args.out, "fast-import", "--quiet"],
                          stdin=subprocess.PIPE)
    out = fi.stdin
    step = dt.timedelta(minutes=50)
    live = []
    created = 0
    # Creations are spread evenly over the history; the rest are edits.
    create_every = args.commits / args.files

    def data(text):
        b = text.encode()
        out.write(f"data {len(b)}\n".encode())
        out.write(b)
        out.write(b"\n")

    def commit(i, message, ops):
        when = START + step * i
        who = PEOPLE[rng.randrange(len(PEOPLE))]
        email = who.lower().replace(" ", ".") + "@example.com"
        ts = int(when.timestamp())
        out.write(b"commit refs/heads/main\n")
        out.write(f"author {who} <{email}> {ts} +0000\n".encode())
        out.write(f"committer {who} <{email}> {ts} +0000\n".encode())
        data(message)
        for op in ops:
            out.write(op.encode() if isinstance(op, str) else op)

    def inline(path, text):
        b = text.encode()
        return f"M 100644 inline {path}\ndata {len(b)}\n".encode() + b + b"\n"

    def path_of(r, when):
        if args.shard:
            return f"content/releases/{r.date.year}/{r.id}.md"
        return f"content/releases/{r.id}.md"

    commit(0, "Site config", [inline("shipdate.yaml", "title: History bench\n")])
    for i in range(1, args.commits):
        when = START + step * i
        if created < args.files and (i >= created * create_every or not live):
            r = Release(rng, created, when)
            created += 1
            r.path = path_of(r, when)
            live.append(r)
            commit(i, f"Plan {r.id}", [inline(r.path, r.text())])
            continue
        r = live[rng.randrange(len(live))]
        roll = rng.random()
        if roll < 0.004 and len(live) > 1:
            live.remove(r)
            commit(i, f"Drop {r.id}", [f"D {r.path}\n"])
            continue
        if roll < 0.01:
            old = r.path
            r.id = r.id + "-r"
            r.path = path_of(r, when)
            commit(i, f"Rename {r.id}", [f'R "{old}" "{r.path}"\n'])
            continue
        if roll < 0.25:
            r.date += dt.timedelta(days=rng.choice([-3, 7, 7, 14, 21]))
            message = f"Slip {r.id} to {r.date}"
        elif roll < 0.40:
            r.status = rng.choice(STATUSES)
            message = f"{r.id}: {r.status}"
        elif roll < 0.50:
            r.milestones.append(f"Checkpoint {len(r.milestones) + 1}")
            message = f"{r.id}: add a milestone"
        else:
            heading = rng.choice(list(r.sections))
            r.sections[heading].append(rng.choice(LINES))
            message = f"{r.id}: notes"
        new_path = path_of(r, when)
        ops = []
        if new_path != r.path:
            ops.append(f"D {r.path}\n")
            r.path = new_path
        ops.append(inline(r.path, r.text()))
        commit(i, message, ops)
    out.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    if args.gc:
        subprocess.run(["git", "-C", args.out, "gc", "-q"], check=True)
    print(f"{args.out}: {created} files created, {args.commits} commits, {len(live)} live")


if __name__ == "__main__":
    main()
