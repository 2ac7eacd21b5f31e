#!/usr/bin/env bash
# `tessella manifests` on a 10,000-row batch (1 collection, 1,000 works, 9,000 pages), twice: with canvas
# sizes in the media columns, and with every page's size probed from an image under its ARK (9,000
# symlinks to one sample in the folder, so each probe is a real ranged read). Prints wall time and peak memory (RSS).
# Usage: scripts/bench-manifests.sh [TESSELLA_BINARY]   (default: target/release/tessella)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/tessella}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import csv, os, sys
work = sys.argv[1]
head = ["Item ARK", "Parent ARK", "Object Type", "Title", "File Name", "Item Sequence",
        "media.width", "media.height", "Name.repository", "Rights.statementLocal"]
for name, sized in (("sized.csv", True), ("probed.csv", False)):
    with open(os.path.join(work, name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerow(["ark:/21198/zc0000", "", "Collection", "Bench collection", "", "", "", "", "UCLA Library", ""])
        for i in range(1000):
            work_ark = f"ark:/21198/zw{i:06}"
            w.writerow([work_ark, "ark:/21198/zc0000", "Work", f"Work {i}", "", "", "", "", "UCLA Library",
                        "Images are in the public domain."])
            for p in range(9):
                dims = ["4000", "6000"] if sized else ["", ""]
                w.writerow([f"{work_ark}/p{p}", work_ark, "Page", f"Page {p + 1}", f"w{i}/p{p}.tif", str(p + 1),
                            *dims, "", ""])
images = os.path.join(work, "images")
# Links must resolve inside the images folder (the server refuses ones that leave it).
os.makedirs(images)
sample = os.path.join(images, "sample.png")
with open("samples/camera.png", "rb") as src, open(sample, "wb") as dst:
    dst.write(src.read())
for i in range(1000):
    d = os.path.join(images, f"ark:/21198/zw{i:06}")
    os.makedirs(d)
    for p in range(9):
        os.symlink(sample, os.path.join(d, f"p{p}.png"))
PY
wc -l "$work/sized.csv"
for batch in sized probed; do
  rm -rf "$work/store"
  /usr/bin/time -f "$batch: %e s wall, %M KiB peak RSS" \
    "$bin" manifests "$work/$batch.csv" --images "$work/images" --out "$work/store" \
      --base-url https://iiif.example.edu --result "$work/$batch-result.csv"
  find "$work/store" -name '*.json' | wc -l
done
