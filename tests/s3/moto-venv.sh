#!/usr/bin/env bash
# Makes sure moto's S3 server (moto 5.2.5 from PyPI, with boto3 and Pillow for the checks) is installed in
# a venv under ~/.cache/tessella, and prints the venv's path. Used by tests/s3/run.sh and by the Lambda
# crate's tests (lambda/tests/s3_event.rs), which may run at the same time: the install holds a lock.
set -euo pipefail
venv=${TESSELLA_S3_VENV:-$HOME/.cache/tessella/s3-venv}
ready() { "$venv/bin/python" -c 'import moto, boto3, PIL' 2>/dev/null; }
if ! ready; then
  mkdir -p "$(dirname "$venv")"
  exec 9>"$venv.lock"
  flock 9
  if ! ready; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q 'moto[server]==5.2.5' pillow==13.0.0 >&2
  fi
fi
echo "$venv"
