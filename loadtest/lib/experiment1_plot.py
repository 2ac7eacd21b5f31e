#!/usr/bin/env python3
"""Experiment 1's plot and table: images per minute, one machine against fan-out, lossy and lossless."""

import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1])
    rows = list(csv.DictReader(open(out / "experiment1.csv", newline="")))
    qualities = sorted({r["quality"] for r in rows})
    modes = list(dict.fromkeys(r["mode"] for r in rows))
    fig, ax = plt.subplots(figsize=(6, 3.5))
    width = 0.8 / max(1, len(modes))
    for k, mode in enumerate(modes):
        for x, q in enumerate(qualities):
            match = [r for r in rows if r["mode"] == mode and r["quality"] == q]
            if match:
                ax.bar(x + (k - (len(modes) - 1) / 2) * width, float(match[0]["images_per_minute"]), width,
                       color=f"C{k}", label=mode if x == 0 else None)
    ax.set_xticks(range(len(qualities)), qualities)
    ax.set_ylabel("images per minute")
    ax.set_title(f"Converting {rows[0]['images']} TIFFs ({rows[0]['source_mb']} MB) to {rows[0]['format']}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "experiment1.png", dpi=110)
    lines = ["| mode | quality | images | seconds | images/min | failed | outputs | load avg |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['mode']} | {r['quality']} | {r['images']} | {r['seconds']} | {r['images_per_minute']} | "
              f"{r['failed_processes']} | {r['outputs']} | {r['load_start'].split()[0]} → {r['load_end'].split()[0]} |"
              for r in rows]
    (out / "experiment1.md").write_text("\n".join(lines) + "\n\n![experiment1](experiment1.png)\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
