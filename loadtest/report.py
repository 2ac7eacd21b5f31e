#!/usr/bin/env python3
"""Turn load-test results (cells.csv from matrix.py, regions.sh) into markdown tables and PNG plots.

    loadtest/report.py RESULTS_DIR [MORE_DIRS...] [--out DIR]

Writes report.md and, when the data is there, the study's figures (per target, prefixed with its kind,
when the directories hold several):
    by-format.png   median response time by format × source size × requested size (at each user count)
    by-users.png    median and 95th percentile against concurrent users, per format and source size
    by-region.png   mean response time by simulated region (round trip), origin direct against edge
Failures are counted in every table and marked on the plots (✗N above a bar or point).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FORMAT_LABEL = {"tiff": "TIFF (strips)", "ptiff": "pyramidal TIFF", "jp2lossless": "lossless JP2",
                "jp2lossy": "lossy JP2"}
SIZE_LABEL = {"medium": "~54 MB source", "large": "~120 MB source"}
REQUESTED_LABEL = {"pct50": "50%", "full": "full size", "tile": "tiles", "thumb": "thumbnail", "viewer": "viewer mix",
                   "info": "info.json"}
NAME_OF = {"pct50": "50% (pct:50)", "full": "full size", "thumb": "thumb 200,", "info": "info.json"}


def num(value, default=0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def load(dirs: list[Path]) -> tuple[list[dict], list[dict], list[dict]]:
    rows, failures, runs = [], [], []
    for d in dirs:
        with open(d / "cells.csv", newline="") as f:
            rows.extend(csv.DictReader(f))
        if (d / "failures.csv").exists():
            with open(d / "failures.csv", newline="") as f:
                failures.extend(csv.DictReader(f))
        if (d / "runs.jsonl").exists():
            runs.extend(json.loads(line) for line in open(d / "runs.jsonl") if line.strip())
    return rows, failures, runs


def primary(rows: list[dict]) -> list[dict]:
    """One row per cell: the group of the requested kind (tiles: every scale factor combined)."""
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        key = (r["target"], r["region"], r["format"], r["size"], r["requested"], int(r["users"]))
        cells[key].append(r)
    out = []
    for key, group in cells.items():
        requested = key[4]
        if requested == "tile":
            mine = [r for r in group if r["name"].startswith("tile")]
        elif requested == "viewer":
            mine = [r for r in group if r["name"] != "info.json"]
        else:
            mine = [r for r in group if r["name"] == NAME_OF.get(requested, requested)]
        info_failures = sum(int(r["failures"]) for r in group if r not in mine)
        if not mine:  # no response of the requested kind completed within the cell (and its grace)
            mine = [dict(group[0], name=NAME_OF.get(requested, requested), requests="0", failures="0",
                         median_ms="", avg_ms="", p95_ms="", rps="0")]
        requests = sum(int(r["requests"]) for r in mine)
        combined = dict(mine[0])
        combined["requests"] = requests
        combined["failures"] = sum(int(r["failures"]) for r in mine) + info_failures
        if len(mine) > 1:  # tiles at several scale factors: request-weighted mean, worst p95
            combined["avg_ms"] = (sum(num(r["avg_ms"]) * int(r["requests"]) for r in mine) / requests
                                  if requests else "")
            combined["median_ms"] = ""
            combined["p95_ms"] = max((num(r["p95_ms"]) for r in mine), default="")
            combined["rps"] = sum(num(r["rps"]) for r in mine)
            combined["name"] = "tiles (all scale factors)" if requested == "tile" else "viewer mix"
        if combined["requests"] and int(combined["failures"]) >= int(combined["requests"]):
            # Every one failed (an aborted cell's connections cut): their times are not response times.
            combined["median_ms"] = combined["avg_ms"] = combined["p95_ms"] = ""
        out.append(combined)
    return out


def fmt_ms(value) -> str:
    return "" if value in ("", None) else f"{num(value):.0f}"


def table(cells: list[dict]) -> list[str]:
    lines = ["| target | region | format | source | requested | users | requests | failures | median ms | "
             "mean ms | p95 ms | req/s | server peak RSS MB | load avg (start → end) | status |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in cells:
        lines.append(
            f"| {c['target']} | {c['region'] or 'loopback'} | {FORMAT_LABEL.get(c['format'], c['format'])} | "
            f"{c['size']} | {REQUESTED_LABEL.get(c['requested'], c['requested'])} | {c['users']} | "
            f"{c['requests']} | {c['failures']} | {fmt_ms(c['median_ms'])} | {fmt_ms(c['avg_ms'])} | "
            f"{fmt_ms(c['p95_ms'])} | {num(c['rps']):.2f} | {c['server_peak_rss_mb']} | "
            f"{c['load_start'].split()[0]} → {c['load_end'].split()[0]} | {c['status']} |")
    return lines


def mark_failures(ax, x, y, failures):
    if failures:
        ax.annotate(f"✗{failures}", (x, y), textcoords="offset points", xytext=(0, 3), ha="center",
                    fontsize=7, color="crimson")


def plot_by_format(cells: list[dict], path: Path) -> bool:
    cells = [c for c in cells if not c["region"] and c["requested"] in ("pct50", "full")]
    if not cells:
        return False
    requested = [r for r in ("pct50", "full") if any(c["requested"] == r for c in cells)]
    users = sorted({int(c["users"]) for c in cells})
    formats = [f for f in FORMAT_LABEL if any(c["format"] == f for c in cells)]
    sizes = [s for s in SIZE_LABEL if any(c["size"] == s for c in cells)]
    fig, axes = plt.subplots(len(users), len(requested), figsize=(5.5 * len(requested), 2.6 * len(users)),
                             squeeze=False, sharey="row")
    width = 0.8 / max(1, len(sizes))
    for i, u in enumerate(users):
        for j, req in enumerate(requested):
            ax = axes[i][j]
            for k, size in enumerate(sizes):
                for x, fmt in enumerate(formats):
                    match = [c for c in cells if (c["format"], c["size"], c["requested"], int(c["users"]))
                             == (fmt, size, req, u)]
                    if not match:
                        continue
                    c = match[0]
                    y = num(c["median_ms"]) / 1000
                    xpos = x + (k - (len(sizes) - 1) / 2) * width
                    ax.bar(xpos, y, width, label=SIZE_LABEL[size] if x == 0 else None, color=f"C{k}")
                    mark_failures(ax, xpos, y, int(c["failures"]))
                    if int(c["requests"]) == 0:
                        ax.annotate("none\ndone", (xpos, 0), textcoords="offset points", xytext=(0, 2),
                                    ha="center", fontsize=6, color="crimson")
            ax.set_xticks(range(len(formats)), [FORMAT_LABEL[f] for f in formats], fontsize=8)
            ax.set_title(f"{REQUESTED_LABEL[req]}, {u} user{'s' if u > 1 else ''}", fontsize=9)
            ax.set_ylabel("median response (s)", fontsize=8)
            if i == 0 and j == 0:
                ax.legend(fontsize=7)
    fig.suptitle("Response time by format × source size × requested size (caches off)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def plot_by_users(cells: list[dict], path: Path) -> bool:
    cells = [c for c in cells if not c["region"] and c["requested"] in ("pct50", "full")]
    users = sorted({int(c["users"]) for c in cells})
    if len(users) < 2:
        return False
    requested = [r for r in ("pct50", "full") if any(c["requested"] == r for c in cells)]
    fig, axes = plt.subplots(1, len(requested), figsize=(6 * len(requested), 4), squeeze=False)
    series = sorted({(c["format"], c["size"]) for c in cells},
                    key=lambda s: (list(FORMAT_LABEL).index(s[0]), list(SIZE_LABEL).index(s[1])))
    for j, req in enumerate(requested):
        ax = axes[0][j]
        for n, (fmt, size) in enumerate(series):
            pts = sorted((int(c["users"]), num(c["median_ms"]) / 1000, num(c["p95_ms"]) / 1000, int(c["failures"]))
                         for c in cells if (c["format"], c["size"], c["requested"]) == (fmt, size, req)
                         and c["median_ms"] != "")
            if not pts:  # no response completed at any user count: keep it in the legend
                ax.plot([], [], marker="x", linestyle="none", color=f"C{n}",
                        label=f"{FORMAT_LABEL[fmt]}, {SIZE_LABEL[size]}")
                continue
            xs = [p[0] for p in pts]
            ax.plot(xs, [p[1] for p in pts], marker="o", color=f"C{n}",
                    label=f"{FORMAT_LABEL[fmt]}, {SIZE_LABEL[size]}")
            ax.plot(xs, [p[2] for p in pts], linestyle="--", color=f"C{n}", alpha=0.5)
            for x, y, _, f in pts:
                mark_failures(ax, x, y, f)
        # Cells where no response completed: a cross on the top edge, in the series' colour.
        for n, (fmt, size) in enumerate(series):
            none = [int(c["users"]) for c in cells if (c["format"], c["size"], c["requested"]) == (fmt, size, req)
                    and int(c["requests"]) == 0]
            if none:
                ax.plot(none, [1.0] * len(none), marker="x", linestyle="none", color=f"C{n}", markersize=8,
                        transform=ax.get_xaxis_transform(), clip_on=False)
        ax.set_xscale("log")
        ax.set_xticks(users, [str(u) for u in users])
        ax.set_xlabel("concurrent users")
        ax.set_ylabel("response time (s): median —, p95 --")
        ax.set_title(f"{REQUESTED_LABEL[req]} by number of users (× on top: no response completed)",
                     fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def plot_by_region(cells: list[dict], path: Path) -> bool:
    cells = [c for c in cells if c["region"]]
    if not cells:
        return False
    # Region labels are "{rtt}ms-{route}" (regions.sh).
    def split(label):
        rtt, _, route = label.partition("ms-")
        return int(rtt) if rtt.isdigit() else rtt, route
    requested = sorted({c["requested"] for c in cells})
    rtts = sorted({split(c["region"])[0] for c in cells}, key=str)
    rtts = sorted(rtts, key=lambda r: (isinstance(r, str), r if isinstance(r, int) else 0))
    routes = sorted({split(c["region"])[1] for c in cells})
    fig, axes = plt.subplots(1, len(requested), figsize=(5.5 * len(requested), 3.8), squeeze=False)
    width = 0.8 / max(1, len(routes))
    for j, req in enumerate(requested):
        ax = axes[0][j]
        for k, route in enumerate(routes):
            for x, rtt in enumerate(rtts):
                match = [c for c in cells if c["requested"] == req and split(c["region"]) == (rtt, route)]
                if not match:
                    continue
                c = match[0]
                y = num(c["avg_ms"])
                xpos = x + (k - (len(routes) - 1) / 2) * width
                ax.bar(xpos, y, width, color=f"C{k}", label=route if x == 0 else None)
                mark_failures(ax, xpos, y, int(c["failures"]))
        ax.set_xticks(range(len(rtts)), [f"{r} ms RTT" for r in rtts], fontsize=8)
        ax.set_ylabel("mean response (ms)")
        ax.set_title(f"{REQUESTED_LABEL.get(req, req)} by region", fontsize=10)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dirs", nargs="+", type=Path)
    p.add_argument("--out", type=Path, default=None, help="where report.md and the PNGs go (first dir)")
    p.add_argument("--title", default="Load-test results")
    args = p.parse_args()
    out = args.out or args.dirs[0]
    out.mkdir(parents=True, exist_ok=True)
    rows, failures, runs = load(args.dirs)
    cells = primary(rows)
    cells.sort(key=lambda c: (c["target"], c["region"], list(FORMAT_LABEL).index(c["format"])
                              if c["format"] in FORMAT_LABEL else 9, c["size"], c["requested"], int(c["users"])))
    lines = [f"# {args.title}", ""]
    if runs:
        lines += ["Runs (from runs.jsonl): target, cells, cell length, think time, load average at start:", ""]
        for r in runs:
            lines.append(f"- `{r['command']}` — {r['target']} {r.get('region') or ''} at {r['started_utc']}: "
                         f"{r['cells']} cells of {r['cell_seconds']} s, think {r['think'][0]}–{r['think'][1]} s, "
                         f"{r['cpus']} CPUs, load {r['load_average']}")
        lines.append("")
    lines += ["One row per cell: the requested kind's group (info.json, read once per user, is left out "
              "of the times but its failures are counted). `requests` counts responses that completed "
              "within the cell and its grace period; 0 means none did (every user was still waiting). As in Locust, the times include failed requests; "
              "a cell whose requests all failed shows none.", ""] + table(cells) + [""]
    figures = [("by-format.png", plot_by_format), ("by-users.png", plot_by_users)]
    targets = sorted({c["target"] for c in cells if not c["region"]})
    for target in targets:  # one set of figures per target (named {target}-… when there are several)
        mine = [c for c in cells if c["target"] == target]
        for name, plot in figures:
            name = f"{target}-{name}" if len(targets) > 1 else name
            if plot(mine, out / name):
                lines += [f"![{name}]({name})", ""]
    # Regions compare routes, which may be different targets (origin direct, the edge near).
    if plot_by_region(cells, out / "by-region.png"):
        lines += ["![by-region.png](by-region.png)", ""]
    total_fail = sum(int(c["failures"]) for c in cells)
    lines += [f"Failures: {total_fail} in {sum(int(c['requests']) for c in cells)} requests."]
    if failures:
        lines += ["", "| region | cell | group | error | occurrences |", "|---|---|---|---|---|"]
        lines += [f"| {f['region']} | {f['cell']} | {f['name']} | {f['error'][:120]} | {f['occurrences']} |"
                  for f in failures]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print(f"report: {out / 'report.md'} ({len(cells)} cells, {total_fail} failures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
