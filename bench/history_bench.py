#!/usr/bin/env python3
"""Times the history stage on a repository made by gen_history_repo.py.

    cargo build --release
    bench/history_bench.py /dev/shm/hist [--runs 5] [--now 2026-11-23]

Runs `shipdate build --verbose` and reads the stage timings it prints:
cold (the history cache in .git/shipdate/ removed before each run), warm
(cache at HEAD), and the same content copied outside git (no history), so
the difference is what history adds to a build. Prints medians.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "..", "target", "release", "shipdate")


def build(root, out, now):
    start = time.perf_counter()
    p = subprocess.run([BIN, "build", "--root", root, "--output", out, "--now", now,
                        "--verbose"], capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if p.returncode != 0:
        sys.exit(f"build failed:\n{p.stderr}")
    stage = float(re.search(r"^\s+history\s+([\d.]+) ms", p.stderr, re.M).group(1))
    phases = {}
    line = re.search(r"history: (walk .*)", p.stderr)
    for part in (line.group(1).split(", ") if line else []):
        name, ms, _ = part.rsplit(" ", 2)
        phases[name] = float(ms)
    return wall, stage, phases


def report(name, runs):
    walls = [r[0] for r in runs]
    stages = [r[1] for r in runs]
    line = f"{name:<8} build {statistics.median(walls):8.0f} ms   history stage {statistics.median(stages):8.1f} ms"
    if runs[0][2]:
        keys = runs[0][2].keys()
        line += "   (" + ", ".join(f"{k.strip()} {statistics.median(r[2].get(k, 0) for r in runs):.0f}"
                                 for k in keys) + ")"
    print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--now", default="2026-11-23")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    cache = os.path.join(repo, ".git", "shipdate")
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as tmp:
        out = os.path.join(tmp, "out")
        cold = []
        for _ in range(args.cold_runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(build(repo, out, args.now))
        warm = [build(repo, out, args.now) for _ in range(args.runs)]
        plain = os.path.join(tmp, "nogit")
        os.makedirs(plain)
        shutil.copytree(os.path.join(repo, "content"), os.path.join(plain, "content"))
        if os.path.exists(os.path.join(repo, "shipdate.yaml")):
            shutil.copy(os.path.join(repo, "shipdate.yaml"), plain)
        nogit = [build(plain, out, args.now) for _ in range(args.runs)]
    report("cold", cold)
    report("warm", warm)
    report("no git", nogit)


if __name__ == "__main__":
    main()
