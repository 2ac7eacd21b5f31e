"""Checks `tessella convert` with masters in, and derivatives written to, an S3-protocol server (S3_ENDPOINT):
`tessella convert batch.csv --source s3://masters/prefix --dest s3://derivatives/prefix`, with the endpoint
and credentials in the usual AWS_* variables, as on AWS. Then `tessella serve` serves the derivatives from
the destination bucket.

Every check prints `ok - ...` or `not ok - ...`; the last line is `checks: N passed, M failed` (tests/run.sh
adds it to the suite's totals) and the exit status is non-zero when any failed.
"""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from PIL import Image

from check import FIXTURES, check, decoded, free_port, http
import check as checks

ENDPOINT = os.environ["S3_ENDPOINT"]
BIN = os.environ["TESSELLA_BIN"]
MASTERS, DERIVATIVES = "convert-masters", "convert-derivatives"

BATCH = '''\
Title,Item ARK,Object Type,File Name,viewingHint,Notes
A collection,ark:/21198/s3c,Collection,,,
The astronaut,ark:/21198/s3a1,Work,astronaut.tif,,"kept, ""as is"""
The camera,ark:/21198/s3a2,Work,sub/camera.tif,,
Not uploaded yet,ark:/21198/s3a3,Work,sub/later.tif,,
Broken,ark:/21198/s3a4,Work,broken.tif,,
'''


def aws_env():
    return {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ENDPOINT": ENDPOINT,
        "AWS_ALLOW_HTTP": "true",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "TESSELLA_LOG": "warn",
    }


def tiff_master(fixture):
    """An uncompressed TIFF master of a fixture, written by Pillow (not by Tessella)."""
    out = io.BytesIO()
    Image.open(FIXTURES / fixture).save(out, "TIFF")
    return out.getvalue()


def convert(csv_path, *extra):
    return subprocess.run(
        [BIN, "convert", str(csv_path), "--source", f"s3://{MASTERS}/masters", "--dest",
         f"s3://{DERIVATIVES}/iiif", "--tile", "256", "--jobs", "2", "--iiif-base", "https://iiif.example.edu",
         *extra],
        env=aws_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
    )


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def keys(s3, bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return sorted(out)


def main(servers, work):
    s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    for bucket in (MASTERS, DERIVATIVES):
        s3.create_bucket(Bucket=bucket)
    astronaut = tiff_master("astronaut.png")
    s3.put_object(Bucket=MASTERS, Key="masters/astronaut.tif", Body=astronaut)
    s3.put_object(Bucket=MASTERS, Key="masters/sub/camera.tif", Body=tiff_master("camera.png"))
    s3.put_object(Bucket=MASTERS, Key="masters/broken.tif", Body=astronaut[: len(astronaut) // 3])
    batch = work / "batch.csv"
    batch.write_text(BATCH)
    result = work / "batch-result.csv"

    out = convert(batch)
    check("convert from S3 to S3 exits 2 (a missing and a failed row), after the whole batch",
          out.returncode == 2, out.stdout[-3000:])
    check("the summary counts every row",
          "2 succeeded, 0 ingested, 1 missing, 1 failed, 1 passed through" in out.stdout, out.stdout[-3000:])
    got = rows(result) if result.exists() else []
    states = [r.get("Bucketeer State") for r in got]
    check("the result CSV has a state per row", states == ["", "succeeded", "succeeded", "missing", "failed"],
          states)
    check("input columns pass through, in order, untouched",
          bool(got) and list(got[0])[:6] == ["Title", "Item ARK", "Object Type", "File Name", "viewingHint",
                                            "Notes"] and got[1]["Notes"] == 'kept, "as is"', got[:2])
    check("access URLs for converted rows",
          len(got) > 1 and got[1]["IIIF Access URL"] == "https://iiif.example.edu/iiif/3/ark:%2F21198%2Fs3a1",
          got[1:2])
    check("the missing row names its file", len(got) > 3 and "sub/later.tif" in got[3]["Bucketeer Message"],
          got[3:4])
    written = keys(s3, DERIVATIVES)
    check("exactly the two derivatives, keyed {ark}.tif under the destination prefix",
          written == ["iiif/ark:/21198/s3a1.tif", "iiif/ark:/21198/s3a2.tif"], written)
    sizes = {}
    for key in written:
        body = s3.get_object(Bucket=DERIVATIVES, Key=key)["Body"].read()
        sizes[key] = decoded(body, "TIFF")
    check("each derivative decodes with Pillow at the master's size",
          sizes == {"iiif/ark:/21198/s3a1.tif": (512, 512), "iiif/ark:/21198/s3a2.tif": (512, 512)}, sizes)
    before = {k: s3.head_object(Bucket=DERIVATIVES, Key=k)["ETag"] for k in written}

    out = convert(result)
    got = rows(result) if result.exists() else []
    check("a rerun of the result CSV converts nothing: done rows are ingested",
          "0 succeeded, 2 ingested, 1 missing, 1 failed" in out.stdout
          and [r["Bucketeer State"] for r in got] == ["", "ingested", "ingested", "missing", "failed"],
          out.stdout[-2000:])
    after = {k: s3.head_object(Bucket=DERIVATIVES, Key=k)["ETag"] for k in keys(s3, DERIVATIVES)}
    check("the rerun rewrote no object", after == before, (before, after))

    s3.put_object(Bucket=MASTERS, Key="masters/sub/later.tif", Body=tiff_master("chelsea.png"))
    out = convert(result, "--failures-only")
    got = rows(result) if result.exists() else []
    check("--failures-only converts the master that arrived, and only the rows that were not done",
          "1 succeeded, 0 ingested, 0 missing, 1 failed" in out.stdout
          and [r["Bucketeer State"] for r in got] == ["", "ingested", "ingested", "succeeded", "failed"],
          out.stdout[-2000:])

    # The image server reads the destination bucket as its source.
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="tessella-convert-s3-", suffix=".log", delete=False)
    env = aws_env() | {
        "TESSELLA_LISTEN": f"127.0.0.1:{port}",
        "TESSELLA_THREADS": "2",
        "TESSELLA_SOURCE__KIND": "s3",
        "TESSELLA_SOURCE__BUCKET": DERIVATIVES,
        "TESSELLA_SOURCE__PREFIX": "iiif",
        "TESSELLA_SOURCE__ENDPOINT": ENDPOINT,
        "TESSELLA_SOURCE__REGION": "us-east-1",
        "TESSELLA_SOURCE__ALLOW_HTTP": "true",
    }
    server = subprocess.Popen([BIN, "serve"], env=env, stdout=log, stderr=log)
    servers.append((server, log.name))
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if http("GET", base + "/health")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.05)
    status, _, body = http("GET", base + "/iiif/3/ark:%2F21198%2Fs3a3/info.json")
    info = json.loads(body) if status == 200 else {}
    check("tessella serve reads a converted derivative from the destination bucket (info.json)",
          (info.get("width"), info.get("height"), [t.get("width") for t in info.get("tiles", [])])
          == (451, 300, [256]), (status, body[:500]))
    status, _, body = http("GET", base + "/iiif/3/ark:%2F21198%2Fs3a1/0,0,256,256/256,/0/default.jpg")
    check("and a tile of it", status == 200 and decoded(body, "JPEG") == (256, 256), (status, body[:200]))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    servers = []
    try:
        with tempfile.TemporaryDirectory() as work:
            main(servers, Path(work))
    except Exception as e:  # noqa: BLE001 - a crash of the checks is one more failure, with its reason
        import traceback
        traceback.print_exc()
        check("the conversion checks ran to the end", False, repr(e))
    finally:
        for server, log in servers:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            if checks.failed:
                print(f"--- server log:\n{Path(log).read_text(errors='replace')[-4000:]}")
            os.unlink(log)
    print(f"checks: {checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)
