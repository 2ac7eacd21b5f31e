"""Checks `tessella serve` with sources in, and derivatives cached to, an S3-protocol server (S3_ENDPOINT).

Every check prints `ok - ...` or `not ok - ...`; the last line is `checks: N passed, M failed` (tests/run.sh
adds it to the suite's totals) and the exit status is non-zero when any failed. Servers started here are
stopped on the way out, whatever happens.
"""

import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO.parent / "shared" / "fixtures"
ENDPOINT = os.environ["S3_ENDPOINT"]
BIN = os.environ["TESSELLA_BIN"]
VALIDATOR = os.environ.get("VALIDATOR_VENV")
SOURCES, CACHE = "tessella-sources", "tessella-cache"
SOURCE_PREFIX, CACHE_PREFIX = "masters", "derivatives"
MANIFESTS, MANIFESTS_PREFIX = "tessella-manifests", "iiif"
TOKEN = "s3-test-admin-token"
VALIDATOR_ID = "67352ccc-d1b0-11e1-89ae-279075081939"

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}", flush=True)
    else:
        failed += 1
        print(f"not ok - {name}: {detail}"[:2000], flush=True)


def http(method, url, headers=None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def metric(text, name, *labels):
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or not (line.startswith(name + "{") or line.startswith(name + " ")):
            continue
        if all(label in line for label in labels):
            total += float(line.rsplit(" ", 1)[1])
    return total


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def decoded(body, fmt):
    """(width, height) of a body that fully decodes as `fmt`, else None."""
    try:
        image = Image.open(io.BytesIO(body))
        image.load()
        return image.size if image.format == fmt else None
    except Exception as e:  # noqa: BLE001 - any decoding failure is the answer
        print(f"  cannot decode: {e}")
        return None


class Server:
    """`tessella serve` configured only by TESSELLA_* variables (and AWS_* for the credentials)."""

    def __init__(self, servers):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="tessella-s3-", suffix=".log", delete=False)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "TESSELLA_LISTEN": f"127.0.0.1:{self.port}",
            "TESSELLA_ADMIN__TOKEN": TOKEN,
            "TESSELLA_THREADS": "2",
            "TESSELLA_LOG": "info",
        }
        for section, bucket, prefix in [("SOURCE", SOURCES, SOURCE_PREFIX), ("CACHE__STORE", CACHE, CACHE_PREFIX),
                                        ("MANIFESTS", MANIFESTS, MANIFESTS_PREFIX)]:
            env.update({
                f"TESSELLA_{section}__KIND": "s3",
                f"TESSELLA_{section}__BUCKET": bucket,
                f"TESSELLA_{section}__PREFIX": prefix,
                f"TESSELLA_{section}__ENDPOINT": ENDPOINT,
                f"TESSELLA_{section}__REGION": "us-east-1",
                f"TESSELLA_{section}__ALLOW_HTTP": "true",
            })
        self.process = subprocess.Popen([BIN, "serve"], env=env, stdout=self.log, stderr=self.log)
        servers.append(self)
        for _ in range(200):
            try:
                if http("GET", self.base + "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"tessella did not start; log:\n{self.tail()}")

    def get(self, path, method="GET", headers=None):
        return http(method, self.base + path, headers)

    def metrics(self):
        return self.get("/metrics")[2].decode()

    def tail(self):
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.unlink(self.log.name)


def cache_keys(s3, prefix=""):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=CACHE, Prefix=f"{CACHE_PREFIX}/{prefix}"):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return sorted(keys)


def wait_for_object(s3, key, unlike=None):
    """The object's bytes once it exists (and differs from `unlike`); None after 15 s."""
    for _ in range(300):
        try:
            data = s3.get_object(Bucket=CACHE, Key=key)["Body"].read()
            if data != unlike:
                return data
        except s3.exceptions.NoSuchKey:
            pass
        time.sleep(0.05)
    return None


def main(servers):
    s3 = boto3.client("s3", endpoint_url=ENDPOINT, aws_access_key_id="testing",
                      aws_secret_access_key="testing", region_name="us-east-1")
    s3.create_bucket(Bucket=SOURCES)
    s3.create_bucket(Bucket=CACHE)
    s3.create_bucket(Bucket=MANIFESTS)
    uploads = {
        "rocket-pyramid-jpeg.tif": REPO / "shared/tests/data/rocket-pyramid-jpeg.tif",
        "Elephants_5640x3172.jpg": FIXTURES / "Elephants_5640x3172.jpg",
        "nemo.jp2": FIXTURES / "nemo.jp2",
        f"{VALIDATOR_ID}.png": FIXTURES / f"{VALIDATOR_ID}.png",
        "ark:/1234/x.png": FIXTURES / "camera.png",
    }
    for key, path in uploads.items():
        s3.upload_file(str(path), SOURCES, f"{SOURCE_PREFIX}/{key}")
    source_keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=SOURCES)["Contents"])

    a = Server(servers)
    status, _, body = a.get("/health?deep=true", headers={"Authorization": f"Bearer {TOKEN}"})
    text = body.decode()
    check("deep health: S3 source listed and S3 cache store written, read, deleted",
          status == 200 and "cache store: ok" in text and "rocket-pyramid-jpeg.tif" in text, text)

    status, _, body = a.get("/iiif/3/rocket-pyramid-jpeg/info.json")
    info = json.loads(body) if status == 200 else {}
    check("info.json of the pyramidal TIFF", info.get("width") == 640 and info.get("height") == 427
          and info.get("tiles"), f"{status} {body[:300]!r}")
    status, _, body = a.get("/iiif/3/Elephants_5640x3172/info.json")
    info = json.loads(body) if status == 200 else {}
    check("info.json of the 5640x3172 JPEG", (info.get("width"), info.get("height")) == (5640, 3172), body[:300])
    status, _, body = a.get("/iiif/2/ark:%2F1234%2Fx/info.json")
    check("info.json of a nested key by %2F", status == 200 and b'"width":512' in body.replace(b" ", b""), body[:300])
    status, _, body = a.get("/iiif/3/no-such-image/info.json")
    check("an unknown identifier is 404", status == 404, status)
    status, _, _ = a.get("/iiif/3/no-such-image/full/100,/0/default.jpg")
    check("an unknown identifier's image is 404", status == 404, status)

    tile = "/iiif/3/rocket-pyramid-jpeg/0,0,256,256/256,/0/default.jpg"
    status, headers, tile_body = a.get(tile)
    check("a pyramid tile is a JPEG of 256x256", status == 200 and headers["Content-Type"] == "image/jpeg"
          and decoded(tile_body, "JPEG") == (256, 256), f"{status} {decoded(tile_body, 'JPEG')}")
    elephants = "/iiif/3/Elephants_5640x3172/1024,1024,1024,1024/256,/0/default.jpg"
    status, _, elephants_body = a.get(elephants)
    check("a region of the large JPEG is a JPEG of 256x256",
          status == 200 and decoded(elephants_body, "JPEG") == (256, 256), status)
    status, _, body = a.get("/iiif/3/nemo/full/200,/0/default.png")
    size = decoded(body, "PNG")
    check("the JPEG 2000 scaled is a PNG 200 wide", status == 200 and size is not None and size[0] == 200, size)

    tile_key = f"{CACHE_PREFIX}/rocket-pyramid-jpeg/3/0,0,256,256/max/0/default.jpg"
    stored = wait_for_object(s3, tile_key)
    check("the tile's derivative object appears in the cache bucket, keyed by the canonical request",
          stored is not None and stored.startswith(b"TSLCACH1") and stored.endswith(tile_body), cache_keys(s3))
    elephants_key = f"{CACHE_PREFIX}/Elephants_5640x3172/3/1024,1024,1024,1024/256,256/0/default.jpg"
    elephants_stored = wait_for_object(s3, elephants_key)
    check("the large JPEG's derivative object appears", elephants_stored is not None, cache_keys(s3))

    before = a.metrics()
    status, _, body = a.get(tile)
    after = a.metrics()
    hits = [metric(m, "tessella_cache_total", 'cache="derivative"', 'tier="memory"', 'result="hit"')
            for m in (before, after)]
    check("a second request is a memory hit with the same bytes",
          status == 200 and body == tile_body and hits[1] == hits[0] + 1, hits)

    before = a.metrics()
    status, _, body = a.get("/iiif/3/rocket-pyramid-jpeg/256,0,256,256/256,/0/default.jpg?cache=false")
    after = a.metrics()
    read = metric(after, "tessella_source_bytes_read_total") - metric(before, "tessella_source_bytes_read_total")
    size = uploads["rocket-pyramid-jpeg.tif"].stat().st_size
    check(f"a tile reads only its byte range from S3 ({read:.0f} of {size} bytes)",
          status == 200 and 0 < read < size / 3, read)
    check("cache=false wrote nothing", not any("256,0,256,256" in k for k in cache_keys(s3)), cache_keys(s3))

    # A second instance (empty memory) is served from the S3 cache: no source data read.
    b = Server(servers)
    status, _, body = b.get(tile)
    m = b.metrics()
    check("a new instance serves the tile from the S3 cache store",
          status == 200 and body == tile_body
          and metric(m, "tessella_cache_total", 'cache="derivative"', 'tier="store"', 'result="hit"') == 1
          and metric(m, "tessella_source_reads_total", 'kind="data"') == 0, m)

    # A corrupt entry is detected, not served, deleted and written again.
    s3.put_object(Bucket=CACHE, Key=elephants_key, Body=elephants_stored[:-100])
    status, _, body = b.get(elephants)
    m = b.metrics()
    check("a truncated cache object is not served: rendered again",
          status == 200 and decoded(body, "JPEG") == (256, 256)
          and metric(m, "tessella_cache_store_errors_total", 'kind="corrupt"') == 1, m)
    rewritten = wait_for_object(s3, elephants_key, unlike=elephants_stored[:-100])
    check("the corrupt object is replaced by a good one", rewritten is not None and rewritten.endswith(body))

    status, headers, _ = a.get("/admin/cache", "DELETE")
    check("admin without a token is 401 with WWW-Authenticate",
          status == 401 and headers.get("WWW-Authenticate", "").startswith("Bearer"), status)
    status, _, _ = a.get("/admin/cache", "DELETE", {"Authorization": "Bearer wrong"})
    check("admin with a wrong token is 401", status == 401, status)

    auth = {"Authorization": f"Bearer {TOKEN}"}
    a.get("/iiif/3/ark:%2F1234%2Fx/full/64,/0/default.png")
    ark_prefix = "ark=3A=2F1234=2Fx/"
    for _ in range(300):
        if cache_keys(s3, ark_prefix):
            break
        time.sleep(0.05)
    status, headers, _ = a.get("/admin/cache/images/rocket-pyramid-jpeg", "DELETE", auth)
    check("purging one identifier removes its objects and no others",
          status == 204 and not cache_keys(s3, "rocket-pyramid-jpeg/") and cache_keys(s3, "Elephants_5640x3172/")
          and cache_keys(s3, ark_prefix), f"{status} {cache_keys(s3)}")
    status, _, _ = a.get("/admin/cache/images/ark:%2F1234%2Fx", "DELETE", auth)
    check("purging an identifier with %2F", status == 204 and not cache_keys(s3, ark_prefix), cache_keys(s3))
    status, headers, _ = a.get("/admin/cache", "DELETE", auth)
    source_keys_after = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=SOURCES)["Contents"])
    check("purging everything empties the cache prefix and leaves the sources",
          status == 204 and cache_keys(s3) == [] and source_keys_after == source_keys,
          f"{status} {cache_keys(s3)} {source_keys_after}")
    status, _, body = a.get(tile)
    check("after the purge the tile renders again", status == 200 and body == tile_body, status)

    if VALIDATOR:
        out = subprocess.run(
            [f"{VALIDATOR}/bin/python", f"{VALIDATOR}/bin/iiif-validate.py", "-s", f"127.0.0.1:{a.port}",
             "-p", "iiif/3", "-i", VALIDATOR_ID, "--version=3.0", "--level", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
        ).stdout
        done = [line for line in out.splitlines() if line.startswith("Done (")]
        # "Done (0 tests, 0 failures)" checked nothing.
        check("IIIF validator 3.0 level 2 against the S3-backed server: 0 failures",
              bool(done) and done[-1].endswith(" 0 failures)") and not done[-1].startswith("Done (0 "),
              out[-3000:])

    manifests_in_s3(s3, a, b)


def manifests_in_s3(s3, a, b):
    """A CSV batch POSTed to one server: the canvas size probed from the S3 source, the documents stored in
    the manifests bucket, served by another server with its own host."""
    csv = (
        "Item ARK,Parent ARK,Object Type,Title,Item Sequence\n"
        "ark:/1234/c,,Collection,S3 collection,\n"
        "ark:/1234/w,ark:/1234/c,Work,S3 work,\n"
        "ark:/1234/x,ark:/1234/w,Page,Camera,1\n"
    ).encode()
    boundary = "tessella-s3-boundary"
    body = b"".join([
        f'--{boundary}\r\nContent-Disposition: form-data; name="csv-file"; filename="b.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode(), csv, b"\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="iiif-version"\r\n\r\n3\r\n'.encode(),
        f"--{boundary}--\r\n".encode(),
    ])
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    request = urllib.request.Request(a.base + "/collections", data=body, method="POST", headers=headers)
    try:
        urllib.request.urlopen(request, timeout=60)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    check("POST /collections without the token is 401", status == 401, status)
    request = urllib.request.Request(a.base + "/collections", data=body, method="POST",
                                     headers={**headers, "Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            status, result = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, result = e.code, e.read().decode()
    check("a CSV batch POSTed to an S3-configured server answers the CSV with manifest URLs",
          status == 201 and f"{a.base}/ark:%2F1234%2Fw/manifest" in result, f"{status} {result}")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=MANIFESTS).get("Contents", []))
    check("the documents are objects in the manifests bucket",
          keys == [f"{MANIFESTS_PREFIX}/collections/ark:/1234/c.json", f"{MANIFESTS_PREFIX}/works/ark:/1234/w.json"],
          keys)
    status, headers, body = b.get("/ark:%2F1234%2Fw/manifest")
    manifest = json.loads(body) if status == 200 else {}
    canvas = (manifest.get("items") or [{}])[0]
    check("another server serves the manifest from S3 with its own host and the probed canvas size",
          manifest.get("id") == f"{b.base}/ark:%2F1234%2Fw/manifest"
          and (canvas.get("width"), canvas.get("height")) == (512, 512)
          and headers.get("Content-Type", "").startswith("application/ld+json"), f"{status} {body[:500]!r}")
    status, _, _ = a.get("/collections/ark:%2F1234%2Fc", "DELETE", {"Authorization": f"Bearer {TOKEN}"})
    gone = b.get("/collections/ark:%2F1234%2Fc")[0]
    check("DELETE with the token removes the collection from the bucket", status == 204 and gone == 404,
          f"{status} {gone}")


if __name__ == "__main__":
    # SIGTERM becomes SystemExit, so the `finally` below still stops the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    servers = []
    try:
        main(servers)
    except Exception as e:  # noqa: BLE001 - a crash of the checks is one more failure, with its reason
        import traceback
        traceback.print_exc()
        check("the checks ran to the end", False, repr(e))
    finally:
        if failed:
            for server in servers:
                print(f"--- log of the server on port {server.port}:\n{server.tail()}")
        for server in servers:
            server.stop()
    print(f"checks: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
