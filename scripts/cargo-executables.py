"""Prints the path of every executable a cargo build produced, one per line, from the JSON messages of
`cargo build|test|bench --message-format=json` on standard input (test and bench binaries included).
Usage: cargo test --no-run --message-format=json ... | python3 scripts/cargo-executables.py"""
import json
import sys

for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable"):
        print(message["executable"])
