#!/usr/bin/env python3
"""The smoke run's verdict: every cell made requests and none failed (a non-2xx, a non-image body, a
bad info.json), plus quick checks of the URL builder and the response checks the Locust file uses.
Prints one line per check and `checks: N passed, M failed` last; exits 1 on any failure.

    loadtest/smoke_check.py RESULTS_DIR
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from iiif_urls import ImageInfo, Target, build_pool, image_problem, parse_mix, tile_requests  # noqa: E402

passed = failed = 0


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")


def unit_checks() -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 16
    check(image_problem(200, "image/jpeg", jpeg) is None, "a 200 image/jpeg with a JPEG body passes")
    check(image_problem(404, "text/plain", b"not found") is not None, "a 404 is a failure")
    check(image_problem(200, "text/html", b"<html>") is not None, "a 200 that is not an image is a failure")
    check(image_problem(200, "image/jpeg", b"<html>") is not None, "an image type with a non-image body fails")
    info = ImageInfo("x.tif", 5640, 3172, 512, 512, [1, 2, 4, 8])
    target = Target.of("tessella", "http://h")
    tiles = tile_requests(target, info, 2)
    covered = sum(int(t.path.split("/")[4].split(",")[2]) * int(t.path.split("/")[4].split(",")[3]) for t in tiles)
    check(covered == 5640 * 3172 and all(t.path.endswith("?cache=false") for t in tiles),
          f"tiles at scale 2 cover the image once, caches bypassed ({len(tiles)} tiles)")
    iip = Target.of("iipimage", "http://h")
    pool = build_pool(iip, [info], parse_mix("full:1"), 10)
    check([r.path for r, _ in pool] == ["/iiif/x.tif/full/full/0/default.jpg"],
          "IIPImage (Image API 2.1): full size is full/full, no cache query")
    kinds = {r.kind for r, _ in build_pool(target, [info], parse_mix("viewer"), 1000)}
    check(kinds == {"info", "tile", "thumb", "pct50", "full"}, "the viewer mix holds every request kind")


def cell_checks(results: Path) -> None:
    cells: dict[str, list[dict]] = defaultdict(list)
    with open(results / "cells.csv", newline="") as f:
        for row in csv.DictReader(f):
            cells[f"{row['format']}-{row['size']}-{row['requested']}-u{row['users']}"].append(row)
    check(bool(cells), f"the smoke matrix ran ({len(cells)} cells)")
    for slug, rows in cells.items():
        images = sum(int(r["requests"]) for r in rows if r["name"] != "info.json")
        fails = sum(int(r["failures"]) for r in rows)
        status = rows[0]["status"]
        check(images > 0 and status == "ok", f"{slug}: {images} image requests ({status})")
        check(fails == 0, f"{slug}: {fails} failed requests (non-2xx or not an image)")
    if (results / "failures.csv").exists():
        with open(results / "failures.csv", newline="") as f:
            for row in csv.DictReader(f):
                print(f"      failure in {row['cell']}: {row['name']}: {row['error']} ×{row['occurrences']}")


def main() -> int:
    unit_checks()
    cell_checks(Path(sys.argv[1]))
    print(f"checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
