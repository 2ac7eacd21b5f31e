#!/usr/bin/env python3
"""Run the study's matrix against one target: one headless Locust run per cell, its CSVs kept.

A cell is format × source size × requested size × users (× region, named by --region). Its identifier
is `{format}-{size}.{ext}` (the folder loadtest/sources.sh lays out); every cell requests only its
requested size (`pct50` or `full`), with the target's image caches bypassed, after each user has read
the image's info.json. For each cell the Locust CSVs are kept under OUT/cells/, and one row per request
group is appended to OUT/cells.csv with the cell's load average and, when --server-pid is given, the
server's peak resident memory (the process and its children). A cell whose server grows past
--max-server-rss-mb is stopped early and marked `aborted` (a server the runner started is killed).

With --server-cmd (and --health-url) the runner starts a fresh server for every cell and stops it after:
an overloaded server keeps working on requests its clients gave up on (reads and renders already
started), which would otherwise spill into the next cell.

    loadtest/matrix.py --target-kind tessella --base-url http://127.0.0.1:8080 --preset full --out DIR
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXT = {"tiff": "tif", "ptiff": "tif", "jp2lossless": "jp2", "jp2lossy": "jp2"}
PRESETS = {
    # cell seconds, grace for in-flight requests at the end (counted), users, think time (s)
    "smoke": dict(cell_seconds=20, stop_timeout=60, users="2", think_min=0.5, think_max=1.5),
    "short": dict(cell_seconds=60, stop_timeout=60, users="1,20,50,100,200", think_min=5, think_max=15),
    "full": dict(cell_seconds=300, stop_timeout=120, users="1,20,50,100,200", think_min=5, think_max=15),
}
CELL_FIELDS = [
    "target", "region", "format", "size", "requested", "users", "cell_seconds", "name", "requests",
    "failures", "median_ms", "avg_ms", "p95_ms", "p99_ms", "max_ms", "rps", "avg_bytes", "status",
    "server_peak_rss_mb", "load_start", "load_end", "started_utc",
]


@dataclass(frozen=True)
class Cell:
    format: str
    size: str
    requested: str
    users: int

    @property
    def identifier(self) -> str:
        return f"{self.format}-{self.size}.{EXT[self.format]}"

    @property
    def slug(self) -> str:
        return f"{self.format}-{self.size}-{self.requested}-u{self.users}"


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (0 when it is gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Watch(threading.Thread):
    """Samples the server's memory every half second; asks the cell to stop when it is over the cap."""

    def __init__(self, pid: int | None, cap_mb: int, on_over):
        super().__init__(daemon=True)
        self.pid, self.cap_kb, self.on_over = pid, cap_mb * 1024, on_over
        self.peak_kb, self.over, self.stopped = 0, False, threading.Event()

    def run(self):
        while self.pid and not self.stopped.wait(0.2):
            rss = tree_rss_kb(self.pid)
            self.peak_kb = max(self.peak_kb, rss)
            if self.cap_kb and rss > self.cap_kb and not self.over:
                self.over = True
                self.on_over()


def locust_command(args, cell: Cell, prefix: Path) -> list[str]:
    # Every user started within the first tenth of the cell, unless --spawn-rate says otherwise.
    spawn = args.spawn_rate or max(1.0, cell.users / max(1.0, args.cell_seconds / 10))
    return [
        args.locust, "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
        "--host", args.base_url, "-u", str(cell.users), "-r", str(spawn), "-t", f"{args.cell_seconds}s",
        "--stop-timeout", str(args.stop_timeout), "--csv", str(prefix), "--loglevel", "WARNING",
        "--target-kind", args.target_kind, "--identifiers", cell.identifier,
        "--mix", "viewer" if cell.requested == "viewer" else f"{cell.requested}:1",
        "--think-min", str(args.think_min), "--think-max", str(args.think_max),
        "--url-count", str(args.url_count),
    ] + (["--iiif-prefix", args.iiif_prefix] if args.iiif_prefix else []) + (
        ["--iiif-api", str(args.iiif_api)] if args.iiif_api else [])


def read_stats(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Server:
    """A fresh server per cell (--server-cmd), in its own process group, stopped with all its children."""

    def __init__(self, command: str, health_url: str, log: Path):
        self.log = open(log, "a")
        self.proc = subprocess.Popen(f"exec {command}", shell=True, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError(f"server exited ({self.proc.returncode}): {command}")
            try:
                with urllib.request.urlopen(health_url, timeout=2) as response:
                    if response.status < 300:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer {health_url} within 60 s (log: {log})")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        # No graceful shutdown: it would wait for the abandoned work this restart is there to drop.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self.log.close()


def run_cell(args, cell: Cell, out: Path, cells_csv, failures_csv) -> tuple[int, int]:
    """One Locust run, on a fresh server when --server-cmd is given; returns (requests, failures)."""
    server = None
    if args.server_cmd:
        for attempt in (1, 2):
            try:
                server = Server(args.server_cmd, args.health_url, out / "server.log")
                break
            except RuntimeError as e:
                print(f"    server start {attempt} failed: {e}", flush=True)
        if server is None:
            cells_csv.writerow({"target": args.target_kind, "region": args.region, "format": cell.format,
                                "size": cell.size, "requested": cell.requested, "users": cell.users,
                                "cell_seconds": args.cell_seconds, "name": cell.requested, "requests": 0,
                                "failures": 0, "status": "server did not start", "load_start": load_average(),
                                "load_end": load_average(),
                                "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
            return -1, 0
    try:
        return measure_cell(args, cell, out, cells_csv, failures_csv, server.pid if server else args.server_pid)
    finally:
        if server:
            server.stop()


def measure_cell(args, cell: Cell, out: Path, cells_csv, failures_csv, server_pid) -> tuple[int, int]:
    """One Locust run; returns (requests, failures) over all its groups (-1 requests: it did not run)."""
    prefix = out / "cells" / (f"{args.region}-{cell.slug}" if args.region else cell.slug)
    command = locust_command(args, cell, prefix)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_start = load_average()
    print(f"[{started}] cell {cell.slug} ({args.region or 'local'}), load {load_start}", flush=True)
    log = open(f"{prefix}.log", "w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    def over_cap() -> None:
        # Stop the load and, when it is ours, the server at once: its memory is still climbing.
        os.killpg(proc.pid, signal.SIGINT)
        if server_pid and args.server_cmd:
            os.killpg(server_pid, signal.SIGKILL)

    watch = Watch(server_pid, args.max_server_rss_mb, over_cap)
    watch.start()
    try:
        proc.wait(timeout=args.cell_seconds + args.stop_timeout + 120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        watch.stopped.set()
        watch.join()
        log.close()
    status = "aborted: server RSS over cap" if watch.over else ("ok" if proc.returncode in (0, 1) else
                                                                f"locust exit {proc.returncode}")
    rows = read_stats(prefix)
    if not rows:
        status = f"no stats (locust exit {proc.returncode}; see {prefix}.log)"
        rows = [{"Name": cell.requested, "Request Count": "0", "Failure Count": "0"}]
    total_req = total_fail = 0
    for row in rows:
        requests, failures = int(row.get("Request Count") or 0), int(row.get("Failure Count") or 0)
        total_req, total_fail = total_req + requests, total_fail + failures
        cells_csv.writerow({
            "target": args.target_kind, "region": args.region, "format": cell.format, "size": cell.size,
            "requested": cell.requested, "users": cell.users, "cell_seconds": args.cell_seconds,
            "name": row["Name"], "requests": requests, "failures": failures,
            "median_ms": row.get("Median Response Time", ""), "avg_ms": row.get("Average Response Time", ""),
            "p95_ms": row.get("95%", ""), "p99_ms": row.get("99%", ""), "max_ms": row.get("Max Response Time", ""),
            "rps": row.get("Requests/s", ""), "avg_bytes": row.get("Average Content Size", ""), "status": status,
            "server_peak_rss_mb": round(watch.peak_kb / 1024) if server_pid else "",
            "load_start": load_start, "load_end": load_average(), "started_utc": started,
        })
    for failure in read_failures(prefix):
        failures_csv.writerow({"region": args.region, "cell": cell.slug, "name": failure.get("Name", ""),
                               "error": failure.get("Error", ""), "occurrences": failure.get("Occurrences", "")})
    print(f"    {total_req} requests, {total_fail} failures, {status}", flush=True)
    if status != "ok" and not status.startswith("aborted"):
        total_req = -1
    return total_req, total_fail


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target-kind", default="tessella", choices=["tessella", "edge", "iipimage"])
    p.add_argument("--base-url", required=True)
    p.add_argument("--preset", default="full", choices=sorted(PRESETS))
    p.add_argument("--formats", default="tiff,jp2lossless,jp2lossy")
    p.add_argument("--sizes", default="medium,large")
    p.add_argument("--requested", default="pct50,full")
    p.add_argument("--users", default=None, help="comma-separated user counts (preset's by default)")
    p.add_argument("--cell-seconds", type=int, default=None)
    p.add_argument("--stop-timeout", type=int, default=None,
                   help="seconds in-flight requests may finish after the cell's time (preset's)")
    p.add_argument("--spawn-rate", type=float, default=None, help="users started per second (default: all within a tenth of the cell)")
    p.add_argument("--think-min", type=float, default=None)
    p.add_argument("--think-max", type=float, default=None)
    p.add_argument("--url-count", type=int, default=1000)
    p.add_argument("--iiif-prefix", default=None)
    p.add_argument("--iiif-api", type=int, default=None)
    p.add_argument("--region", default="", help="a label for every row (regions.sh sets it)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--server-pid", type=int, default=None, help="sample this process tree's memory")
    p.add_argument("--server-cmd", default=None, help="shell command starting a fresh server for each cell")
    p.add_argument("--health-url", default=None, help="answers 2xx once --server-cmd's server is up")
    p.add_argument("--max-server-rss-mb", type=int, default=8192)
    p.add_argument("--locust", default=str(Path(sys.executable).with_name("locust")))
    args = p.parse_args(argv)
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.server_cmd and not args.health_url:
        p.error("--server-cmd needs --health-url")
    for fmt in args.formats.split(","):
        if fmt not in EXT:
            p.error(f"unknown format {fmt!r} (one of {', '.join(EXT)})")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    (out / "cells").mkdir(parents=True, exist_ok=True)
    cells = [Cell(f, s, r, int(u)) for f in args.formats.split(",") for s in args.sizes.split(",")
             for r in args.requested.split(",") for u in str(args.users).split(",")]
    meta_path = out / "runs.jsonl"
    with open(meta_path, "a") as meta:
        meta.write(json.dumps({
            "command": shlex.join([sys.argv[0]] + (argv if argv is not None else sys.argv[1:])),
            "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cells": len(cells),
            "target": args.target_kind, "base_url": args.base_url, "region": args.region,
            "cell_seconds": args.cell_seconds, "think": [args.think_min, args.think_max],
            "host": platform.node(), "cpus": os.cpu_count(), "kernel": platform.release(),
            "load_average": load_average(),
        }) + "\n")
    new_cells = not (out / "cells.csv").exists()
    new_failures = not (out / "failures.csv").exists()
    broken = 0
    with open(out / "cells.csv", "a", newline="") as c, open(out / "failures.csv", "a", newline="") as f:
        cells_csv = csv.DictWriter(c, fieldnames=CELL_FIELDS)
        failures_csv = csv.DictWriter(f, fieldnames=["region", "cell", "name", "error", "occurrences"])
        if new_cells:
            cells_csv.writeheader()
        if new_failures:
            failures_csv.writeheader()
        for cell in cells:
            requests, _ = run_cell(args, cell, out, cells_csv, failures_csv)
            c.flush()
            f.flush()
            broken += requests < 0
    print(f"matrix: {len(cells)} cells, results in {out}/cells.csv", flush=True)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
