-- wrk script for scripts/bench-iipimage.sh: every request a different IIIF Image API 2 URL, so no
-- server's tile or derivative cache can answer it from memory.
--   BENCH_PREFIX  everything before the region, e.g. "/iiif/2/large-pyramid.tif" (Tessella) or
--                 "/fcgi-bin/iipsrv.fcgi?IIIF=/large-pyramid.tif" (IIPImage)
--   BENCH_SUFFIX  appended to every URL ("?cache=false" for Tessella, "" for IIPImage)
--   BENCH_MODE    "tile": every tile of the full-resolution level, row by row, region x,y,w,h at size w,
--                 "full": /full/W,/0/default.jpg for W in BENCH_FULL_MIN..BENCH_FULL_MAX
--   BENCH_WIDTH, BENCH_HEIGHT, BENCH_TILE   the image size and the tile size (mode "tile")
--   BENCH_SCALE   mode "tile" at a scale factor: regions of BENCH_TILE × BENCH_SCALE at BENCH_TILE wide (1)
-- Each wrk thread starts at a different point of the cycle.
local paths = {}
local n = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local prefix = os.getenv("BENCH_PREFIX")
  local suffix = os.getenv("BENCH_SUFFIX") or ""
  local mode = os.getenv("BENCH_MODE") or "tile"
  if mode == "tile" then
    local w = tonumber(os.getenv("BENCH_WIDTH"))
    local h = tonumber(os.getenv("BENCH_HEIGHT"))
    local t = tonumber(os.getenv("BENCH_TILE"))
    local scale = tonumber(os.getenv("BENCH_SCALE") or "1")
    local step = t * scale
    for y = 0, h - 1, step do
      for x = 0, w - 1, step do
        local rw = math.min(step, w - x)
        local rh = math.min(step, h - y)
        local size = math.ceil(rw / scale)
        paths[#paths + 1] = string.format("%s/%d,%d,%d,%d/%d,/0/default.jpg%s", prefix, x, y, rw, rh, size, suffix)
      end
    end
  else
    local lo = tonumber(os.getenv("BENCH_FULL_MIN"))
    local hi = tonumber(os.getenv("BENCH_FULL_MAX"))
    for s = hi, lo, -1 do
      paths[#paths + 1] = string.format("%s/full/%d,/0/default.jpg%s", prefix, s, suffix)
    end
  end
  n = (thread_index or 0) * 7919 % #paths
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
