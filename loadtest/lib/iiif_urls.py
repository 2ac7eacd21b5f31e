"""IIIF URLs for the load tests: where a target serves an image, and the requests a viewer makes of it.

A target is a base URL plus a kind. The kind fixes the path prefix, the Image API version and how image
caches are bypassed; each can be overridden, so a deployment with other routes needs no code change:

    kind      prefix     API  cache bypass          identifiers
    tessella  /iiif/3/   3    ?cache=false          file names under the server's image root
    edge      /iiif/3/   3    ?cache=false          the same (the edge forwards the query to the origin)
    iipimage  /iiif/     2    none (server started   file names under FILESYSTEM_PREFIX (our lighttpd
                                with its cache off)   config rewrites /iiif/… to iipsrv's ?IIIF=…)

From an image's info.json the request pool holds, per identifier:

    info      {id}/info.json
    tile      one tile at a scale factor s: x,y,w·s,h·s (clipped) at ceil(w/s) wide; grouped per s
    thumb     full/200,/0/default.jpg
    pct50     full/pct:50/0/default.jpg
    full      full/max/0/default.jpg (2.1: full/full/0/default.jpg)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Iterable

KINDS = ("tessella", "edge", "iipimage")
REQUEST_KINDS = ("info", "tile", "thumb", "pct50", "full")

# The viewer-like mix: mostly tiles, some thumbnails and info.json, a few derivatives.
VIEWER_MIX = {"info": 2, "tile": 20, "thumb": 3, "pct50": 1, "full": 1}


@dataclass(frozen=True)
class Target:
    """Where a server answers IIIF requests, and how to ask it."""

    kind: str
    base: str
    prefix: str
    api: int
    cache_query: str

    @classmethod
    def of(
        cls,
        kind: str,
        base: str,
        prefix: str | None = None,
        api: int | None = None,
        cache_off: bool = True,
        cache_query: str | None = None,
    ) -> "Target":
        if kind not in KINDS:
            raise ValueError(f"unknown target kind {kind!r} (one of {', '.join(KINDS)})")
        default_prefix, default_api, default_query = {
            "tessella": ("/iiif/3/", 3, "cache=false"),
            "edge": ("/iiif/3/", 3, "cache=false"),
            "iipimage": ("/iiif/", 2, ""),
        }[kind]
        query = default_query if cache_query is None else cache_query
        return cls(
            kind=kind,
            base=base.rstrip("/"),
            prefix=prefix if prefix is not None else default_prefix,
            api=api if api is not None else default_api,
            cache_query=query if cache_off else "",
        )

    def path(self, identifier: str, rest: str, bypass_cache: bool = True) -> str:
        """The path (without the base) of `rest` under an identifier, with the cache bypass for images."""
        url = f"{self.prefix}{identifier}/{rest}"
        if bypass_cache and self.cache_query:
            url += ("&" if "?" in url else "?") + self.cache_query
        return url

    def info_path(self, identifier: str) -> str:
        return self.path(identifier, "info.json", bypass_cache=False)

    def full_size(self) -> str:
        return "max" if self.api == 3 else "full"


@dataclass(frozen=True)
class Request:
    kind: str  # one of REQUEST_KINDS
    name: str  # the Locust group (`name=`): one stats row per name
    path: str


@dataclass
class ImageInfo:
    identifier: str
    width: int
    height: int
    tile_width: int
    tile_height: int
    scale_factors: list[int] = field(default_factory=list)

    @classmethod
    def from_json(cls, identifier: str, info: dict) -> "ImageInfo":
        tiles = (info.get("tiles") or [{}])[0]
        tw = int(tiles.get("width") or 512)
        th = int(tiles.get("height") or tw)
        factors = sorted(int(s) for s in (tiles.get("scaleFactors") or [1]))
        return cls(identifier, int(info["width"]), int(info["height"]), tw, th, factors)


def tile_requests(target: Target, info: ImageInfo, scale: int) -> list[Request]:
    """Every tile of one scale factor, as a viewer would ask for it (region in full-resolution pixels)."""
    span_w, span_h = info.tile_width * scale, info.tile_height * scale
    out = []
    for y in range(0, info.height, span_h):
        for x in range(0, info.width, span_w):
            w, h = min(span_w, info.width - x), min(span_h, info.height - y)
            size = math.ceil(w / scale)
            rest = f"{x},{y},{w},{h}/{size},/0/default.jpg"
            out.append(Request("tile", f"tile sf={scale}", target.path(info.identifier, rest)))
    return out


def image_requests(target: Target, info: ImageInfo, kinds: Iterable[str], rng: random.Random,
                   max_tiles_per_scale: int = 200) -> dict[str, list[Request]]:
    """The request pool of one image, by request kind."""
    pool: dict[str, list[Request]] = {}
    ident = info.identifier
    for kind in kinds:
        if kind == "info":
            pool[kind] = [Request("info", "info.json", target.info_path(ident))]
        elif kind == "thumb":
            pool[kind] = [Request("thumb", "thumb 200,", target.path(ident, "full/200,/0/default.jpg"))]
        elif kind == "pct50":
            pool[kind] = [Request("pct50", "50% (pct:50)", target.path(ident, "full/pct:50/0/default.jpg"))]
        elif kind == "full":
            rest = f"full/{target.full_size()}/0/default.jpg"
            pool[kind] = [Request("full", "full size", target.path(ident, rest))]
        elif kind == "tile":
            tiles: list[Request] = []
            # Several scale factors, as a viewer zooming in: every level the server advertises.
            for scale in info.scale_factors:
                level = tile_requests(target, info, scale)
                if len(level) > max_tiles_per_scale:
                    level = rng.sample(level, max_tiles_per_scale)
                tiles.extend(level)
            pool[kind] = tiles
        else:
            raise ValueError(f"unknown request kind {kind!r} (one of {', '.join(REQUEST_KINDS)})")
    return pool


def parse_mix(text: str) -> dict[str, int]:
    """`info:2,tile:20,full:1` → weights; `viewer` → the viewer-like mix."""
    if text.strip() == "viewer":
        return dict(VIEWER_MIX)
    mix: dict[str, int] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        kind, _, weight = part.partition(":")
        if kind not in REQUEST_KINDS:
            raise ValueError(f"unknown request kind {kind!r} in --mix (one of {', '.join(REQUEST_KINDS)})")
        mix[kind] = int(weight or 1)
    if not mix:
        raise ValueError("--mix names no request kind")
    return mix


def build_pool(target: Target, infos: list[ImageInfo], mix: dict[str, int], url_count: int,
               seed: int = 1) -> list[tuple[Request, int]]:
    """About `url_count` requests drawn from every image's pool, each kind keeping its weight.

    Returns (request, weight) pairs: a request's weight is its kind's weight divided by how many
    requests of that kind there are, so a random choice by weight picks kinds in the mix's proportions.
    """
    rng = random.Random(seed)
    by_kind: dict[str, list[Request]] = {k: [] for k in mix}
    for info in infos:
        for kind, reqs in image_requests(target, info, mix, rng).items():
            by_kind[kind].extend(reqs)
    total_weight = sum(mix.values())
    pool: list[tuple[Request, int]] = []
    for kind, reqs in by_kind.items():
        if not reqs:
            continue
        share = max(1, round(url_count * mix[kind] / total_weight))
        chosen = reqs if len(reqs) <= share else rng.sample(reqs, share)
        weight = mix[kind] * 1_000_000 // len(chosen)
        pool.extend((r, max(1, weight)) for r in chosen)
    return pool


JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_problem(status: int, content_type: str, body: bytes) -> str | None:
    """Why an image response is not a good one (None when it is): a 2xx with an image type and body."""
    if not 200 <= status < 300:
        return f"HTTP {status}"
    if not content_type.lower().startswith("image/"):
        return f"not an image: Content-Type {content_type!r}"
    if not (body.startswith(JPEG_MAGIC) or body.startswith(PNG_MAGIC)):
        return f"not an image: body starts {body[:8]!r}"
    return None


def info_problem(status: int, data: object) -> str | None:
    if not 200 <= status < 300:
        return f"HTTP {status}"
    if not isinstance(data, dict) or "width" not in data or "height" not in data:
        return "info.json without width/height"
    return None
