#!/usr/bin/env bash
# Makes sure the official IIIF validator (iiif-validator 1.0.5 from PyPI, patched for Python 3) is installed
# in a venv under ~/.cache/tessella, and prints the venv's path. Used by iiif-validator.sh and tests/s3/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${TESSELLA_VALIDATOR_VENV:-$HOME/.cache/tessella/iiif-validator-venv}
if ! "$venv/bin/python" -c 'import iiif_validator, magic' 2>/dev/null; then
  # python-magic (used by the jp2/pdf format tests) needs libmagic.
  python3 -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("magic") else 1)' \
    || { apt-get update -qq && apt-get install -y -qq libmagic1; } >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q iiif-validator==1.0.5 python-magic >&2
  sh ../shared/validators/patch-iiif-validator.sh "$venv" >&2
fi
echo "$venv"
