#!/usr/bin/env bash
# Presentation 2.1 output read back by iiif-prezi's reader (PyPI, pinned), the reference 2.x library:
# `tessella manifests` builds the Sinai test batch as 2.1 into a temporary folder, then every manifest and
# collection must load with ManifestReader and keep its canvases. Installs iiif-prezi into a venv under
# ~/.cache/tessella when missing.
# The reader runs with the network refused (read.py), so nothing is fetched. Prints `checks: N passed, M
# failed` last.
# Usage: tests/prezi/run.sh [TESSELLA_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${1:-target/debug/tessella}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/tessella/prezi-venv
# iiif-prezi 0.3.0 installs its JSON-LD context loader with pyld 1.x's signature; pyld 2 and later ignore
# it and fetch the context from iiif.io, so pyld is pinned to 1.0.5 (the reader then works offline).
if ! "$venv/bin/python" -c 'import iiif_prezi, importlib.metadata as m, sys; sys.exit(m.version("pyld") != "1.0.5")' \
    2>/dev/null; then
  # Debian's python3 makes venvs only with python3-venv (ensurepip).
  python3 -c 'import ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; }
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q iiif-prezi==0.3.0 pyld==1.0.5
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/images/ark:/21198/z1pc3gp5"
cp samples/camera.png "$work/images/ark:/21198/z1pc3gp5/p1.png"
cp samples/rocket.jpg "$work/images/ark:/21198/z1pc3gp5/p3.jpg"
# Exit 2: rows were left out (the audio/video work has no 2.1 form), which this batch expects.
status=0
"$bin" manifests manifest/tests/data/sinai.csv --iiif-version 2 --images "$work/images" --out "$work/store" \
  --base-url https://iiif.example.edu --result "$work/result.csv" || status=$?
[ "$status" = 2 ] || { echo "tessella manifests exited $status, expected 2 (one work left out)"; exit 1; }
"$venv/bin/python" "$here/read.py" "$work/store"
