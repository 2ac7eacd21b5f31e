#!/usr/bin/env python3
"""Summarise scripts/bench-iipimage.sh's wrk runs as a markdown table.

Usage: summarise.py MANIFEST [FLOORS]
MANIFEST: tab-separated case, server T|I, round, wrk output file, peak RSS in kB, CPU seconds of the run.
FLOORS: tab-separated case, CPU ms one tile's decode alone takes (bench-iipimage.sh's decoder floor).
Per case and server: req/s is all requests over all rounds' time; p50 and p99 are the mean of the rounds'
(wrk --latency) percentiles; peak RSS is the largest over the rounds; CPU per request is all rounds' CPU
time over their requests; body is the mean response size.
"""
import re
import sys
from collections import defaultdict

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
SIZE = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse(path):
    text = open(path).read()
    out = {"errors": 0}
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)([KMGT]?B) read", text)
    if not m:
        raise SystemExit(f"{path}: no wrk summary:\n{text}")
    out["requests"] = int(m.group(1))
    out["seconds"] = float(m.group(2)) * UNITS[m.group(3)] / 1e3
    out["bytes"] = float(m.group(4)) * SIZE[m.group(5)]
    for pct in ("50", "99"):
        p = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        out["p" + pct] = ms(p.group(1)) if p else float("nan")
    e = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if e:
        out["errors"] += int(e.group(1))
    s = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if s:
        out["errors"] += sum(int(x) for x in s.groups())
    return out


def fmt_ms(v):
    if v != v:
        return "–"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def fmt_rate(v):
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def main():
    cells = defaultdict(list)
    order = []
    for line in open(sys.argv[1]):
        if not line.strip():
            continue
        case, server, rnd, path, rss, cpu = (line.rstrip("\n").split("\t") + [""])[:6]
        if case not in order:
            order.append(case)
        r = parse(path)
        r["rss_kb"] = int(rss) if rss.isdigit() else 0
        r["cpu_s"] = float(cpu) if cpu else float("nan")
        cells[(case, server)].append(r)

    def agg(case, server):
        runs = cells.get((case, server))
        if not runs:
            return None
        req = sum(r["requests"] for r in runs)
        sec = sum(r["seconds"] for r in runs)
        return {
            "rps": req / sec if sec else 0.0,
            "p50": sum(r["p50"] for r in runs) / len(runs),
            "p99": sum(r["p99"] for r in runs) / len(runs),
            "rss": max(r["rss_kb"] for r in runs) / 1024,
            "body": sum(r["bytes"] for r in runs) / req / 1024 if req else 0.0,
            "cpu_ms": sum(r["cpu_s"] for r in runs) * 1e3 / req if req else float("nan"),
            "errors": sum(r["errors"] for r in runs),
            "requests": req,
        }

    print("| case | Tessella req/s | IIPImage req/s | ratio T/I | p50 ms T / I | p99 ms T / I "
          "| CPU ms/req T / I | peak RSS MB T / I | mean body KB T / I |")
    print("|---|---|---|---|---|---|---|---|---|")
    notes = []
    for case in order:
        t, i = agg(case, "T"), agg(case, "I")
        if t is None or i is None:
            continue
        ratio = t["rps"] / i["rps"] if i["rps"] else float("inf")
        print(f"| {case} | {fmt_rate(t['rps'])} | {fmt_rate(i['rps'])} | **{ratio:.2f}×** "
              f"| {fmt_ms(t['p50'])} / {fmt_ms(i['p50'])} | {fmt_ms(t['p99'])} / {fmt_ms(i['p99'])} "
              f"| {fmt_ms(t['cpu_ms'])} / {fmt_ms(i['cpu_ms'])} "
              f"| {t['rss']:.0f} / {i['rss']:.0f} | {t['body']:.1f} / {i['body']:.1f} |")
        for name, a in (("Tessella", t), ("IIPImage", i)):
            if a["errors"]:
                notes.append(f"{case}: {name} had {a['errors']} non-200 responses or socket errors "
                             f"of {a['requests']} requests")
    for n in notes:
        print(f"\n**Errors.** {n}")
    if len(sys.argv) > 2:
        floors(sys.argv[2], agg)


def floors(path, agg):
    """JP2 tile cases against the decoder's floor. With every core busy (16 connections) req/s is cores over
    CPU per request, so no server decoding with OpenJPEG can pass IIPImage by more than IIPImage's CPU per
    tile over the decode's alone."""
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    rows = [(case, float(ms)) for case, ms in rows if "16 conns" in case]
    if not rows:
        return
    print("\n| case (every core busy) | OpenJPEG decode alone, CPU ms/tile | IIPImage CPU ms/req "
          "| Tessella CPU ms/req | ceiling for any OpenJPEG server, × IIPImage | measured T/I |")
    print("|---|---|---|---|---|---|")
    for case, floor in rows:
        t, i = agg(case, "T"), agg(case, "I")
        if t is None or i is None:
            continue
        ceiling = i["cpu_ms"] / floor if floor else float("inf")
        ratio = t["rps"] / i["rps"] if i["rps"] else float("inf")
        print(f"| {case} | {fmt_ms(floor)} | {fmt_ms(i['cpu_ms'])} | {fmt_ms(t['cpu_ms'])} "
              f"| **{ceiling:.2f}×** | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
