#!/usr/bin/env python3
"""Experiment 1's runs (called by loadtest/experiment1.sh, in the S3 test venv that has boto3).

For lossy and lossless JP2 (or pyramidal TIFF): one `tessella convert` of the whole batch on this
machine with --jobs = cores, then fan-out: one `tessella convert` process per image (a lambda
invocation), W at a time, source and destination in the S3-protocol server. Each run is timed from
its start to the last process's exit; outputs are counted. Rows go to OUT/experiment1.csv.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3

FIELDS = ["mode", "quality", "format", "images", "source_mb", "parallel", "seconds", "images_per_minute",
          "failed_processes", "outputs", "load_start", "load_end", "command"]


def load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def quality_flags(help_text: str) -> dict[str, list[str]]:
    """How this build's `convert` is told lossy or lossless (read from its --help)."""
    flags: dict[str, list[str]] = {}
    if "--lossless" in help_text:
        flags["lossless"] = ["--lossless"]
        flags["lossy"] = ["--lossy"] if "--lossy" in help_text else []
    elif "--quality" in help_text:
        flags = {"lossy": ["--quality", "lossy"], "lossless": ["--quality", "lossless"]}
    else:
        flags = {"default": []}
    return flags


def write_batch(path: Path, names: list[str]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Item ARK", "File Name", "Object Type"])
        for name in names:
            w.writerow([f"ark:/99999/{Path(name).stem}", name, "Work"])


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--help-text", default="")
    p.add_argument("--count", type=int, default=8)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--size", default="mixed", choices=["medium", "large", "mixed"])
    p.add_argument("--format", default="jp2")
    p.add_argument("--s3", required=True)
    p.add_argument("--sources", type=Path, required=True)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()

    src = args.work / "src"
    src.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(args.count):
        size = args.size if args.size != "mixed" else ("medium", "large")[i % 2]
        name = f"img-{i:04d}-{size}.tif"
        target = src / name
        if not target.exists():
            os.link(args.sources / f"{size}.tif", target)
        names.append(name)
    source_mb = round(sum((src / n).stat().st_size for n in names) / 1e6)
    write_batch(args.work / "batch.csv", names)

    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT=args.s3,
               AWS_ENDPOINT_URL=args.s3, AWS_ALLOW_HTTP="true")
    s3 = boto3.client("s3", endpoint_url=args.s3, aws_access_key_id="testing",
                      aws_secret_access_key="testing", region_name="us-east-1")
    s3.create_bucket(Bucket="tl-src")
    s3.create_bucket(Bucket="tl-dst")
    for name in names:  # the sources are already in the bucket when the study's clock starts
        s3.upload_file(str(src / name), "tl-src", f"masters/{name}")

    cores = os.cpu_count() or 1
    rows = []
    for quality, flags in quality_flags(args.help_text).items():
        # One machine, all cores.
        dest = args.work / f"out-{quality}"
        command = [args.bin, "convert", str(args.work / "batch.csv"), "--source", str(src), "--dest", str(dest),
                   "--format", args.format, "--jobs", str(cores), *flags]
        start_load, t0 = load(), time.monotonic()
        rc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
        seconds = time.monotonic() - t0
        outputs = sum(1 for f in dest.rglob("*") if f.is_file() and not f.name.endswith(".csv")) if dest.exists() else 0
        rows.append(dict(mode="one machine", quality=quality, format=args.format, images=len(names),
                         source_mb=source_mb, parallel=f"--jobs {cores}", seconds=round(seconds, 1),
                         images_per_minute=round(len(names) / seconds * 60, 2), failed_processes=int(rc != 0),
                         outputs=outputs, load_start=start_load, load_end=load(), command=" ".join(command)))
        print(f"experiment1: one machine, {quality}: {seconds:.1f} s (exit {rc}, {outputs} outputs)", flush=True)

        # Fan-out: one process per image, W at a time, through the S3-protocol server.
        def invoke(i_name):
            i, name = i_name
            batch = args.work / f"row-{quality}-{i:04d}.csv"
            write_batch(batch, [name])
            cmd = [args.bin, "convert", str(batch), "--source", "s3://tl-src/masters", "--dest",
                   f"s3://tl-dst/{quality}", "--format", args.format, "--jobs", "1", *flags]
            return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode

        start_load, t0 = load(), time.monotonic()
        with ThreadPoolExecutor(args.workers) as pool:
            codes = list(pool.map(invoke, enumerate(names)))
        seconds = time.monotonic() - t0
        listed = s3.list_objects_v2(Bucket="tl-dst", Prefix=f"{quality}/").get("Contents", [])
        outputs = sum(1 for o in listed if not o["Key"].endswith(".csv"))
        rows.append(dict(mode=f"fan-out ({args.workers} workers, S3)", quality=quality, format=args.format,
                         images=len(names), source_mb=source_mb, parallel=f"{args.workers} × --jobs 1",
                         seconds=round(seconds, 1), images_per_minute=round(len(names) / seconds * 60, 2),
                         failed_processes=sum(c != 0 for c in codes), outputs=outputs, load_start=start_load,
                         load_end=load(), command="per image: " + " ".join(map(str, [args.bin, "convert", "ROW.csv",
                         "--source", "s3://tl-src/masters", "--dest", f"s3://tl-dst/{quality}", "--format",
                         args.format, "--jobs", "1", *flags]))))
        print(f"experiment1: fan-out, {quality}: {seconds:.1f} s ({sum(c != 0 for c in codes)} failed)", flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "experiment1.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    return 1 if any(r["failed_processes"] or r["outputs"] < r["images"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
