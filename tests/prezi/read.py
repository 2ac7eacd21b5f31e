"""Loads every 2.1 document under a manifest store with iiif-prezi's ManifestReader, offline."""
import json
import pathlib
import socket
import sys


def no_network(*_args, **_kwargs):
    raise OSError("network refused: the 2.1 documents must load offline")


socket.socket.connect = no_network
socket.create_connection = no_network

from iiif_prezi.loader import ManifestReader

store = pathlib.Path(sys.argv[1])
docs = sorted(store.rglob("*.json"))
expected = {"manifests": 2, "collections": 1}
seen = {"manifests": 0, "collections": 0}
failed = 0
for path in docs:
    text = path.read_text()
    kind = "collections" if path.relative_to(store).parts[0] == "collections" else "manifests"
    try:
        obj = ManifestReader(text, version="2.1").read()
        data = json.loads(text)
        if kind == "manifests":
            canvases = obj.sequences[0].canvases
            assert len(canvases) == len(data["sequences"][0]["canvases"]) > 0, "canvases lost"
            for canvas in canvases:
                assert canvas.width > 0 and canvas.height > 0, "canvas without size"
                assert canvas.images, "canvas without image"
        else:
            assert len(obj.manifests) == len(data["manifests"]) > 0, "manifests lost"
        # And it writes back out.
        obj.toJSON(top=True)
        seen[kind] += 1
        print(f"ok   {path.relative_to(store)}")
    except Exception as e:  # noqa: BLE001 - report every document, then fail
        failed += 1
        print(f"FAIL {path.relative_to(store)}: {type(e).__name__}: {e}")
if seen != expected:
    print(f"expected {expected}, read {seen}")
    failed += 1
print(f"checks: {sum(seen.values())} passed, {failed} failed")
sys.exit(1 if failed else 0)
