#!/usr/bin/env bash
# `tessella manifests` on a 10,000-row batch (1 collection, 1,000 works, 9,000 pages), twice: with canvas
# sizes in the media columns, and with every page's size probed from an image under its ARK (9,000
# symlinks to one sample in the folder, so each probe is a real ranged read of a distinct source). Then the
# sized batch ten times larger (100,000 rows), to show how memory grows with the batch. Prints wall time
# and peak memory (RSS) of each run and the number of documents written.
# Usage: scripts/bench-manifests.sh [TESSELLA_BINARY]   (default: target/release/tessella)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/tessella}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import csv, os, sys
work = sys.argv[1]
head = ["Item ARK", "Parent ARK", "Object Type", "Title", "File Name", "Item Sequence",
        "media.width", "media.height", "Name.repository", "Rights.statementLocal"]
for name, sized, works in (("sized.csv", True, 1000), ("probed.csv", False, 1000), ("sized-100k.csv", True, 10000)):
    with open(os.path.join(work, name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerow(["ark:/21198/zc0000", "", "Collection", "Bench collection", "", "", "", "", "UCLA Library", ""])
        for i in range(works):
            work_ark = f"ark:/21198/zw{i:06}"
            w.writerow([work_ark, "ark:/21198/zc0000", "Work", f"Work {i}", "", "", "", "", "UCLA Library",
                        "http://rightsstatements.org/vocab/NoC-US/1.0/"])
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
for batch in sized probed sized-100k; do
  rm -rf "$work/store"
  rows=$(($(wc -l <"$work/$batch.csv") - 1))
  /usr/bin/time -o "$work/time" -f "%e %M" \
    "$bin" manifests "$work/$batch.csv" --images "$work/images" --out "$work/store" \
      --base-url https://iiif.example.edu --result "$work/$batch-result.csv" 2>"$work/log" \
    || { cat "$work/log"; exit 1; }
  read -r secs kib <"$work/time"
  docs=$(find "$work/store" -name '*.json' | wc -l)
  bytes=$(du -sb "$work/store" | cut -f1)
  echo "$batch: $rows rows -> $docs documents ($((bytes / 1024 / 1024)) MiB) in ${secs} s, peak RSS $((kib / 1024)) MiB"
done
