#!/usr/bin/env python3
"""Benchmark `shipdate build` against Hugo on generated release corpora.

For each size N: generate the shipdate corpus and the Hugo site once (with
../shared/bench/gen_corpus.py), build shipdate in release mode once, run one
untimed warm-up of each tool, then alternate shipdate, Hugo, shipdate, Hugo...
for --runs timed runs, in two modes: "fresh" writes every run into a new
folder on tmpfs, removed after the run and outside the timing; "rebuild"
writes into the output folder of the tool's previous run, as a user or a
cached CI job does. The output's bytes (per site and per kind of file) are
counted once per tool and size. Wall time, user+sys CPU and peak RSS come from wait4(2) on the child.

Prints a Markdown table (medians, peak RSS, ratio, cost per release) and
writes everything, raw runs included, to target/bench/results.json.

    bench/run.py                       # 2,000 and 10,000 releases, 5 runs, both modes
    bench/run.py --serve-rebuild       # ... plus a `serve` rebuild after one edit
    bench/run.py --quick               # CI: 200 releases, 1 run, Hugo optional
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00"
# serve prints "built (content/releases/x.md): 10000 releases, 2 sites, 21 feeds in 5123 ms".
BUILT = re.compile(r"^built\b.* in (\d+) ms")


def fail(message):
    print(f"bench: error: {message}", file=sys.stderr)
    sys.exit(2)


def say(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[2000, 10000],
        help="numbers of releases to benchmark (default: 2000 10000)",
    )
    p.add_argument(
        "--runs",
        type=int,
        default=5,
        help="timed runs per tool and size, after one warm-up (default: 5)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="work folder for corpora and outputs (default: /dev/shm/shipdate-bench, "
        "else a temporary folder)",
    )
    p.add_argument(
        "--shared",
        type=Path,
        default=None,
        help="the project's shared/ folder (default: $SHIPDATE_SHARED, else ../shared "
        "beside the repository)",
    )
    p.add_argument(
        "--json",
        type=Path,
        default=REPO / "target" / "bench" / "results.json",
        help="where to write the results (default: target/bench/results.json)",
    )
    p.add_argument(
        "--serve-rebuild",
        action="store_true",
        help="also time `shipdate serve` rebuilding after an edit of one release "
        "of the largest corpus",
    )
    p.add_argument("--no-hugo", action="store_true", help="time shipdate only")
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke test for CI: 200 releases, 1 run, serve rebuild, Hugo only if "
        "installed; no timing is judged",
    )
    args = p.parse_args()
    if args.quick:
        args.sizes = [200]
        args.runs = 1
        args.serve_rebuild = True
    if args.runs < 1 or any(n < 1 for n in args.sizes):
        p.error("--runs and --sizes must be positive")
    return args


def shared_folder(args):
    candidates = [
        ("--shared", args.shared),
        (
            "SHIPDATE_SHARED",
            Path(os.environ["SHIPDATE_SHARED"])
            if os.environ.get("SHIPDATE_SHARED")
            else None,
        ),
        ("../shared", REPO.parent / "shared"),
    ]
    source, shared = next((s, p) for s, p in candidates if p is not None)
    vendored = REPO / "bench" / "vendor" / "shared"
    if source == "../shared" and not (shared / "bench" / "gen_corpus.py").is_file():
        # A clone without shared/ beside it (CI): the copy in bench/vendor/.
        source, shared = "bench/vendor (a copy of ../shared)", vendored
    if not (shared / "bench" / "gen_corpus.py").is_file():
        fail(
            f"{shared}/bench/gen_corpus.py not found (shared folder from {source}); "
            "check out shared/ beside the repository, or pass --shared or set SHIPDATE_SHARED"
        )
    return shared.resolve()


def work_folder(args):
    """The work folder, and whether it is ours to remove at the end."""
    if args.out is not None:
        return args.out, False
    shm = Path("/dev/shm")
    on_tmpfs = shm.is_dir() and os.access(shm, os.W_OK)
    if not on_tmpfs:
        # Outputs are still new folders per run, but expect noisier numbers.
        say("/dev/shm is missing; using a temporary folder on disk")
    if args.quick or not on_tmpfs:
        # A folder of its own, so CI runs side by side do not collide.
        return Path(
            tempfile.mkdtemp(prefix="shipdate-bench-", dir=shm if on_tmpfs else None)
        ), True
    # Kept after a full run, for profiling the same corpora.
    return shm / "shipdate-bench", False


def find_hugo(args):
    """The hugo binary, installing Debian's package for a full run when we can."""
    if args.no_hugo:
        return None
    hugo = shutil.which("hugo")
    if (
        hugo is None
        and not args.quick
        and shutil.which("apt-get")
        and os.geteuid() == 0
    ):
        say("hugo is missing; installing Debian's package `hugo`")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = (
            subprocess.run(
                ["apt-get", "update", "-qq"], check=False, env=env
            ).returncode
            == 0
            and subprocess.run(
                ["apt-get", "install", "-y", "-qq", "hugo"],
                check=False,
                env=env,
                stdout=subprocess.DEVNULL,
            ).returncode
            == 0
        )
        hugo = shutil.which("hugo") if ok else None
    if hugo is None:
        print("hugo: not available")
    return hugo


def run_timed(cmd):
    """Runs cmd; returns wall s, user+sys CPU s and peak RSS MiB of the child (wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage, not the sum over every child so far.
    err_chunks = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        stderr = b"".join(err_chunks).decode(errors="replace")
        fail(f"`{' '.join(map(str, cmd))}` exited {proc.returncode}:\n{stderr[-3000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # Linux reports KiB
        "stderr": b"".join(err_chunks).decode(errors="replace"),
    }


def generate(shared, n, size_dir, with_hugo):
    gen = shared / "bench" / "gen_corpus.py"
    if size_dir.exists():
        shutil.rmtree(size_dir)
    size_dir.mkdir(parents=True)
    site = size_dir / "shipdate-site"

    def corpus(out, flavor):
        subprocess.run(
            [
                sys.executable,
                str(gen),
                "--n",
                str(n),
                "--out",
                str(out),
                "--flavor",
                flavor,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    corpus(site, "shipdate")
    hugo_site = None
    if with_hugo:
        hugo_site = size_dir / "hugo-site"
        shutil.copytree(shared / "bench" / "hugo-site", hugo_site)
        corpus(hugo_site / "content", "hugo")
    return site, hugo_site


class Tool:
    """One tool's command for an output folder, and a check that it wrote a site.

    `sites` is how deep a path names one kind of file: shipdate writes two
    sites (`internal/`, `external/`) below its output folder, Hugo one.
    """

    def __init__(self, name, command, expect, sites):
        self.name, self.command, self.expect, self.sites = (
            name,
            command,
            expect,
            sites,
        )

    def run(self, out, verbose=False, keep=False, measure=False):
        """Runs the tool into `out`; removes `out` afterwards (outside the timing)
        unless `keep`, so the next rebuild finds the previous output there."""
        result = run_timed(self.command(out, verbose))
        for rel in self.expect:
            if not (out / rel).is_file():
                fail(f"{self.name} did not write {out / rel}")
        if measure:
            result["bytes"] = output_bytes(out, self.sites)
        if not keep:
            shutil.rmtree(out)
        return result


def kind(rel, sites):
    """The kind of an output file: its site and first folder, the rest as `*.ext`
    (`internal/releases/*.html`, `internal/calendar.ics`, `posts/*.html`)."""
    parts = rel.parts
    keep = sites + 1
    if len(parts) <= keep:
        return "/".join(parts)
    return "/".join(parts[:keep]) + "/*" + rel.suffix


def output_bytes(out, sites):
    """Total bytes and files under `out`, per site, and per kind of file (largest first)."""
    total, files, per_site, per_kind = 0, 0, {}, {}
    for path in out.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(out)
        size = path.stat().st_size
        total += size
        files += 1
        site = rel.parts[0] if sites and len(rel.parts) > 1 else "."
        per_site[site] = per_site.get(site, 0) + size
        k = kind(rel, sites)
        count, sum_ = per_kind.get(k, (0, 0))
        per_kind[k] = (count + 1, sum_ + size)
    kinds = sorted(per_kind.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return {
        "total": total,
        "files": files,
        "sites": dict(sorted(per_site.items())),
        "kinds": [{"kind": k, "files": c, "bytes": b} for k, (c, b) in kinds],
    }


def tools_for(shipdate, site, hugo, hugo_site):
    def shipdate_cmd(out, verbose):
        return [
            shipdate,
            "build",
            "--root",
            str(site),
            "--now",
            NOW,
            "--output",
            str(out),
            "--verbose" if verbose else "--quiet",
        ]

    tools = [
        Tool(
            "shipdate",
            shipdate_cmd,
            ["internal/index.html", "external/index.html"],
            sites=1,
        )
    ]
    if hugo:
        tools.append(
            Tool(
                "hugo",
                lambda out, _v: [hugo, "--quiet", "-s", str(hugo_site), "-d", str(out)],
                ["index.html"],
                sites=0,
            )
        )
    return tools


def stages(verbose_stderr):
    """`build --verbose` stage timings: lines like "  render   4019.4 ms"."""
    found = {}
    for line in verbose_stderr.splitlines():
        m = re.fullmatch(r"  (\w+)\s+([\d.]+) ms", line)
        if m:
            found[m.group(1)] = float(m.group(2))
    return found


MODES = ("fresh", "rebuild")


def bench_size(n, tools, size_dir, runs):
    """Times each tool in both modes, alternating tools and modes run by run.

    fresh: every run writes into a new folder, removed after the run.
    rebuild: every run writes into the folder the previous run of the same
    tool wrote (the warm-up fills it first), as a user or a cached CI job does.
    """
    say(f"N={n}: warm-up")
    warmup = {}
    for tool in tools:
        warmup[tool.name] = tool.run(
            size_dir / f"out-{tool.name}-warmup", verbose=True, measure=True
        )
        tool.run(size_dir / f"out-{tool.name}-rebuild", keep=True)
    timed = {mode: {t.name: [] for t in tools} for mode in MODES}
    for i in range(runs):
        for mode in MODES:
            for tool in tools:
                if mode == "fresh":
                    r = tool.run(size_dir / f"out-{tool.name}-{i}")
                else:
                    r = tool.run(size_dir / f"out-{tool.name}-rebuild", keep=True)
                del r["stderr"]
                timed[mode][tool.name].append(r)
        say(
            f"N={n}: run {i + 1}/{runs}: "
            + "; ".join(
                f"{mode} "
                + ", ".join(
                    f"{name} {rs[-1]['wall_s']:.2f} s"
                    for name, rs in timed[mode].items()
                )
                for mode in MODES
            )
        )
    for tool in tools:
        shutil.rmtree(size_dir / f"out-{tool.name}-rebuild")
    results = {}
    for mode in MODES:
        results[mode] = {}
        for name, rs in timed[mode].items():
            results[mode][name] = {
                "runs": rs,
                "median_wall_s": statistics.median(r["wall_s"] for r in rs),
                "median_cpu_s": statistics.median(r["cpu_s"] for r in rs),
                "peak_rss_mib": max(r["peak_rss_mib"] for r in rs),
            }
    results["bytes"] = {name: w["bytes"] for name, w in warmup.items()}
    results["warmup_stages_ms"] = stages(warmup["shipdate"]["stderr"])
    return results


def serve_rebuild(shipdate, site, work, runs):
    """Times `shipdate serve` rebuilding after an edit of one release file.

    Reports serve's own build time (from its "built ... in N ms" line), the
    wall time from the write to that line, which adds the watcher's debounce,
    and the time from the write until the edited release's page, requested
    right after that line, comes back with the edit: serve renders pages on
    request, so that request pays for rendering the page.
    """
    releases = sorted((site / "content" / "releases").glob("*.md"))
    release = releases[len(releases) // 2]
    original = release.read_text()
    page = f"http://127.0.0.1:{{port}}/internal/releases/{release_id(release.stem)}/"
    tmp = work / "serve-tmp"
    tmp.mkdir(exist_ok=True)
    # serve writes nothing today; keep any temporary file on the same tmpfs anyway.
    env = dict(os.environ, TMPDIR=str(tmp))
    port = free_port()
    page = page.format(port=port)
    proc = subprocess.Popen(
        [shipdate, "serve", "--root", str(site), "--port", str(port), "--now", NOW],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines = []
    events = []
    cond = threading.Condition()

    def read():
        for line in proc.stderr:
            with cond:
                lines.append(line)
                if BUILT.match(line):
                    events.append(
                        (time.perf_counter(), int(BUILT.match(line).group(1)))
                    )
                cond.notify_all()
        with cond:
            cond.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_built(count, timeout):
        deadline = time.monotonic() + timeout
        with cond:
            while len(events) < count:
                left = deadline - time.monotonic()
                if left <= 0 or proc.poll() is not None:
                    tail = "".join(lines[-20:])
                    fail(
                        f"serve did not report build #{count} within {timeout} s:\n{tail}"
                    )
                cond.wait(min(left, 0.5))
            return events[count - 1]

    try:
        _, first_ms = wait_built(1, 600)
        time.sleep(0.5)  # let the watcher settle after the first build
        rebuilds = []
        for i in range(runs):
            marker = f"Edited by the benchmark ({i})."
            text = original if i % 2 else original + f"\n{marker}\n"
            start = time.perf_counter()
            release.write_text(text)
            at, took_ms = wait_built(2 + i, 600)
            body = fetch(page)
            served = time.perf_counter()
            if (marker in body) == bool(i % 2):
                fail(f"serve answered {page} without the edit after `built`")
            rebuilds.append(
                {
                    "reported_ms": took_ms,
                    "edit_to_built_ms": (at - start) * 1000,
                    "edit_to_page_ms": (served - start) * 1000,
                    "page_ms": (served - at) * 1000,
                }
            )
            say(
                f"serve rebuild {i + 1}/{runs}: {took_ms} ms (edit to built "
                f"{(at - start) * 1000:.0f} ms, edited page served "
                f"{(served - at) * 1000:.0f} ms later)"
            )
            time.sleep(0.3)
        peak_rss = vm_hwm_mib(proc.pid)
    finally:
        stop(proc)
        release.write_text(original)
    return {
        "edited": str(release.relative_to(site)),
        "first_build_ms": first_ms,
        "runs": rebuilds,
        "median_reported_ms": statistics.median(r["reported_ms"] for r in rebuilds),
        "median_edit_to_built_ms": statistics.median(
            r["edit_to_built_ms"] for r in rebuilds
        ),
        "median_edit_to_page_ms": statistics.median(
            r["edit_to_page_ms"] for r in rebuilds
        ),
        "median_page_ms": statistics.median(r["page_ms"] for r in rebuilds),
        "peak_rss_mib": peak_rss,
    }


def release_id(stem):
    """A release's id from its file name when the front matter sets none
    (shipdate's `default_id`: a leading `YYYY-MM-DD-` is dropped)."""
    return re.sub(r"^\d{4}-\d{2}-\d{2}-(?=.)", "", stem)


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8", "replace")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_hwm_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def machine():
    model = ""
    try:
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "load_average_at_start": os.getloadavg(),
    }


def version(cmd):
    try:
        return subprocess.run(
            cmd, check=False, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return None


def fmt(x, digits=2):
    return "–" if x is None else f"{x:,.{digits}f}"


def mib(b):
    return f"{b / 1e6:,.1f} MB"


def report(results, sizes, serve):
    print()
    print(
        "| mode | tool | N | median wall s | median CPU s | peak RSS MiB | wall ms per release |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode in MODES:
        for n in sizes:
            for name, r in results[str(n)][mode].items():
                print(
                    f"| {mode} | {name} | {n:,} | {fmt(r['median_wall_s'])} | "
                    f"{fmt(r['median_cpu_s'])} | {fmt(r['peak_rss_mib'], 0)} | "
                    f"{fmt(r['median_wall_s'] / n * 1000, 3)} |"
                )
    with_hugo = [n for n in sizes if "hugo" in results[str(n)]["fresh"]]
    if with_hugo:
        print()
        print("| mode | N | shipdate/hugo wall | shipdate/hugo CPU | shipdate/hugo bytes |")
        print("|---|---:|---:|---:|---:|")
        for mode in MODES:
            for n in with_hugo:
                r = results[str(n)][mode]
                b = results[str(n)]["bytes"]
                print(
                    f"| {mode} | {n:,} | "
                    f"{r['shipdate']['median_wall_s'] / r['hugo']['median_wall_s']:.2f}x | "
                    f"{r['shipdate']['median_cpu_s'] / r['hugo']['median_cpu_s']:.2f}x | "
                    f"{b['shipdate']['total'] / b['hugo']['total']:.2f}x |"
                )
    print()
    print("Output bytes (largest kinds of file):")
    for n in sizes:
        for name, b in results[str(n)]["bytes"].items():
            sites = ", ".join(f"{s} {mib(v)}" for s, v in b["sites"].items())
            kinds = ", ".join(
                f"{k['kind']} {mib(k['bytes'])} ({k['files']:,})" for k in b["kinds"][:6]
            )
            print(
                f"- {name}, N={n:,}: {mib(b['total'])} in {b['files']:,} files"
                f" ({sites}); {kinds}"
            )
    print()
    for mode in MODES:
        for name in results[str(sizes[0])][mode]:
            costs = [
                (n, results[str(n)][mode][name]["median_wall_s"] / n * 1000)
                for n in sizes
                if name in results[str(n)][mode]
            ]
            line = ", ".join(f"{c:.3f} ms/release at {n:,}" for n, c in costs)
            if len(costs) > 1:
                line += f" (largest/smallest: {costs[-1][1] / costs[0][1]:.2f}; 1.00 = linear)"
            print(f"{name} ({mode}): {line}")
    if serve:
        print()
        print(
            f"shipdate serve, N={serve['n']:,}, one release edited ({serve['edited']}): "
            f"rebuild {serve['median_reported_ms']:.0f} ms as serve reports it, "
            f"{serve['median_edit_to_built_ms']:.0f} ms from the write to `built` "
            f"(incl. the watcher's 150 ms debounce), "
            f"{serve['median_edit_to_page_ms']:.0f} ms from the write to the edited page "
            f"served ({serve['median_page_ms']:.0f} ms for that request); "
            f"median of {len(serve['runs'])}; "
            f"serve peak RSS {fmt(serve['peak_rss_mib'], 0)} MiB"
        )


def main():
    args = parse_args()
    shared = shared_folder(args)
    work, remove_work = work_folder(args)
    work.mkdir(parents=True, exist_ok=True)
    try:
        bench(args, shared, work)
    finally:
        if remove_work:
            shutil.rmtree(work, ignore_errors=True)


def bench(args, shared, work):
    hugo = find_hugo(args)

    say("cargo build --release")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    shipdate = str(REPO / "target" / "release" / "shipdate")

    meta = {
        "machine": machine(),
        "shipdate_commit": version(["git", "-C", str(REPO), "rev-parse", "HEAD"]),
        "hugo_version": version([hugo, "version"]) if hugo else None,
        "runs": args.runs,
        "now": NOW,
        "work_folder": str(work),
        "quick": args.quick,
    }
    results = {}
    serve = None
    for n in args.sizes:
        size_dir = work / str(n)
        say(f"N={n}: generating corpora in {size_dir}")
        site, hugo_site = generate(shared, n, size_dir, hugo is not None)
        results[str(n)] = bench_size(
            n, tools_for(shipdate, site, hugo, hugo_site), size_dir, args.runs
        )
        if args.serve_rebuild and n == max(args.sizes):
            serve = serve_rebuild(shipdate, site, work, max(args.runs, 3))
            serve["n"] = n
    meta["machine"]["load_average_at_end"] = os.getloadavg()

    report(results, args.sizes, serve)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({**meta, "sizes": results, "serve_rebuild": serve}, indent=2) + "\n"
    )
    say(f"results written to {args.json}")


if __name__ == "__main__":
    main()
