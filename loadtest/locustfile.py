"""Viewer-like IIIF traffic for Locust.

Each simulated user first fetches the info.json of every configured identifier (as a viewer opens an
image), then, until the run ends, picks one request at a time from a pool built out of those info.json
documents (tiles at every advertised scale factor, thumbnails, 50% and full-size images; see
lib/iiif_urls.py), waiting a random think time between requests. Every image response must be a 2xx
with an image Content-Type and a JPEG/PNG body, every info.json a 2xx JSON document with a size;
anything else is a Locust failure with its reason. Stats are grouped with `name=`: one row per request
kind (and per tile scale factor).

    locust -f loadtest/locustfile.py --headless --host http://127.0.0.1:8080 \
        --target-kind tessella --identifiers jp2lossy-large.jp2 -u 20 -r 5 -t 5m \
        --think-min 5 --think-max 15 --mix viewer --csv out/run

Our own options (besides Locust's -u users, -r spawn rate, -t duration, --csv prefix):
    --target-kind tessella|edge|iipimage   how URLs are shaped (lib/iiif_urls.py); --host is the base URL
    --identifiers a,b,c                     images to request (file names under the server's root)
    --mix viewer | info:2,tile:20,...       request kinds and weights
    --url-count N                           size of the request pool (the study: about 1,000)
    --think-min S --think-max S             think time between a user's requests (the study: 5–15 s)
    --iiif-prefix P --iiif-api 2|3          override the kind's path prefix and API version
    --cache-on                              do not add the kind's cache bypass to image URLs
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import requests
from locust import HttpUser, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from iiif_urls import (  # noqa: E402
    ImageInfo,
    Target,
    build_pool,
    image_problem,
    info_problem,
    parse_mix,
)

POOL: list = []
WEIGHTS: list[int] = []
TARGET: Target | None = None
IDENTIFIERS: list[str] = []


@events.init_command_line_parser.add_listener
def _options(parser):
    group = parser.add_argument_group("tessella load test")
    group.add_argument("--target-kind", default="tessella", choices=["tessella", "edge", "iipimage"])
    group.add_argument("--identifiers", default="", help="comma-separated identifiers")
    group.add_argument("--mix", default="viewer", help="'viewer' or kind:weight,... (info,tile,thumb,pct50,full)")
    group.add_argument("--url-count", type=int, default=1000)
    group.add_argument("--think-min", type=float, default=5.0)
    group.add_argument("--think-max", type=float, default=15.0)
    group.add_argument("--iiif-prefix", default=None)
    group.add_argument("--iiif-api", type=int, default=None, choices=[2, 3])
    group.add_argument("--cache-on", action="store_true", help="leave the target's caches on")
    group.add_argument("--seed", type=int, default=1)


def target_of(options) -> Target:
    return Target.of(options.target_kind, options.host, prefix=options.iiif_prefix, api=options.iiif_api,
                     cache_off=not options.cache_on)


@events.test_start.add_listener
def _build_pool(environment, **_kwargs):
    """Read each identifier's info.json (not counted) and draw the request pool from them."""
    global TARGET
    options = environment.parsed_options
    TARGET = target_of(options)
    IDENTIFIERS[:] = [i for i in options.identifiers.split(",") if i]
    if not IDENTIFIERS:
        raise SystemExit("locustfile: --identifiers names no image")
    infos = []
    for ident in IDENTIFIERS:
        url = TARGET.base + TARGET.info_path(ident)
        response = requests.get(url, timeout=60)
        if response.status_code != 200:
            raise SystemExit(f"locustfile: {url} answered {response.status_code}: {response.text[:200]}")
        infos.append(ImageInfo.from_json(ident, response.json()))
    pool = build_pool(TARGET, infos, parse_mix(options.mix), options.url_count, seed=options.seed)
    POOL[:] = [request for request, _ in pool]
    WEIGHTS[:] = [weight for _, weight in pool]
    print(f"locustfile: {len(POOL)} URLs from {len(infos)} info.json ({options.mix})", file=sys.stderr)


class Viewer(HttpUser):
    def wait_time(self):
        options = self.environment.parsed_options
        return random.uniform(options.think_min, options.think_max)

    def on_start(self):
        # A viewer opens each image by its info.json.
        for ident in IDENTIFIERS:
            self.fetch_info(TARGET.info_path(ident), "info.json")

    def fetch_info(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            try:
                data = response.json()
            except ValueError:
                data = None
            problem = (f"no response: {response.error!r}"[:200] if response.status_code == 0
                       else info_problem(response.status_code, data))
            if problem:
                response.failure(problem)

    @task
    def request(self):
        if not POOL:
            raise StopUser()
        (req,) = random.choices(POOL, weights=WEIGHTS)
        if req.kind == "info":
            self.fetch_info(req.path, req.name)
            return
        with self.client.get(req.path, name=req.name, catch_response=True) as response:
            if response.status_code == 0:  # no HTTP response at all: say why
                response.failure(f"no response: {response.error!r}"[:200])
                return
            problem = image_problem(response.status_code, response.headers.get("Content-Type", ""),
                                    response.content or b"")
            if problem:
                response.failure(problem)
