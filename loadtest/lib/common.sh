# Shared by the load-test scripts (sourced, not run): the tools they install, and starting and stopping
# the servers they test. Every process started here is recorded in LOADTEST_PIDS; `loadtest_cleanup`
# (which the scripts run from their EXIT trap) stops them all.
# shellcheck shell=bash

LOADTEST_CACHE=${LOADTEST_CACHE:-$HOME/.cache/tessella}
LOADTEST_VENV=${LOADTEST_VENV:-$LOADTEST_CACHE/load-venv}
LOADTEST_PIDS=()
LOADTEST_TMP=""

apt_install() {  # apt_install PACKAGE... : install the Debian packages that are missing
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} (apt-get)" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

ensure_venv() {  # Locust and matplotlib in a venv outside the repository
  if ! "$LOADTEST_VENV/bin/python" -c 'import locust, matplotlib' 2>/dev/null; then
    echo "installing locust and matplotlib into $LOADTEST_VENV (pip)" >&2
    python3 -m venv "$LOADTEST_VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$LOADTEST_VENV"; }
    "$LOADTEST_VENV/bin/pip" install -q 'locust==2.47.0' 'matplotlib==3.10.*'
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

loadtest_init() {  # call first, in the main shell: a scratch folder that loadtest_cleanup removes
  LOADTEST_TMP=$(mktemp -d /tmp/tessella-load.XXXXXX)
}

wait_http() {  # wait_http URL [SECONDS]: until URL answers 2xx
  local url=$1 tries=$(( ${2:-30} * 10 ))
  for _ in $(seq "$tries"); do
    curl -fs -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "no answer from $url" >&2
  return 1
}

# start_tessella BIN IMAGES ADDR [NETNS]: `tessella serve` on ADDR (host:port); sets SERVER_PID.
# In a network namespace when NETNS is given.
start_tessella() {
  local bin=$1 images=$2 addr=$3 netns=${4:-} log
  log=$LOADTEST_TMP/tessella-${addr//[:.]/-}.log
  local run=()
  [ -n "$netns" ] && run=(ip netns exec "$netns")
  TESSELLA_LOG=warn "${run[@]}" "$bin" serve --images "$images" --listen "$addr" >"$log" 2>&1 &
  SERVER_PID=$!
  LOADTEST_PIDS+=("$SERVER_PID")
  local probe=(curl -fs -o /dev/null "http://$addr/health")
  for _ in $(seq 300); do
    if [ -n "$netns" ]; then ip netns exec "$netns" "${probe[@]}" && return 0; else "${probe[@]}" && return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "tessella did not start on $addr" >&2; cat "$log" >&2; return 1
}

# iipimage_conf IMAGES ADDR: writes the lighttpd configuration for IIPImage (Debian's iipimage-server,
# FastCGI) on ADDR, with its tile cache off (MAX_IMAGE_CACHE_SIZE=0), /iiif/{file}/... rewritten to
# iipsrv's ?IIIF=, one iipsrv per core, full-size exports allowed (MAX_CVT=10000); sets IIPIMAGE_CONF.
iipimage_conf() {
  local images=$1 addr=$2 dir
  apt_install lighttpd iipimage-server
  dir=$LOADTEST_TMP/iipimage
  mkdir -p "$dir"
  cat >"$dir/lighttpd.conf" <<CONF
server.modules = ("mod_fastcgi", "mod_rewrite")
server.document-root = "$dir"
server.bind = "${addr%:*}"
server.port = ${addr##*:}
server.errorlog = "$dir/error.log"
server.max-connections = 1024
# Longer than any think time: lighttpd's default (5 s) closes idle keep-alive connections just as a
# user comes back, and the request on the closed connection then fails with no response.
server.max-keep-alive-idle = 120
url.rewrite-once = ( "^/iiif/(.*)\$" => "/fcgi-bin/iipsrv.fcgi?IIIF=\$1" )
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
  "socket" => "$dir/iipsrv.sock",
  "check-local" => "disable",
  "min-procs" => $(nproc), "max-procs" => $(nproc),
  "bin-path" => "/usr/lib/iipimage-server/iipsrv.fcgi",
  "bin-environment" => ( "FILESYSTEM_PREFIX" => "${images%/}/", "MAX_IMAGE_CACHE_SIZE" => "0",
    "MAX_CVT" => "10000", "LOGFILE" => "$dir/iipsrv.log", "VERBOSITY" => "1", "CORS" => "*" )
)))
CONF
  IIPIMAGE_CONF=$dir/lighttpd.conf
}

# start_iipimage IMAGES ADDR: IIPImage behind lighttpd (iipimage_conf); sets SERVER_PID (lighttpd; the
# iipsrv processes are its children).
start_iipimage() {
  local images=$1 addr=$2 dir
  iipimage_conf "$images" "$addr"
  dir=$(dirname "$IIPIMAGE_CONF")
  lighttpd -D -f "$IIPIMAGE_CONF" >"$dir/stdout.log" 2>&1 &
  SERVER_PID=$!
  LOADTEST_PIDS+=("$SERVER_PID")
  wait_http "http://$addr/iiif/ptiff-medium.tif/info.json" 30 || { cat "$dir/error.log" >&2; return 1; }
}

loadtest_cleanup() {
  local pid child
  for pid in "${LOADTEST_PIDS[@]}"; do
    # Children first (lighttpd's iipsrv processes), then the process itself.
    for child in $(pgrep -P "$pid" 2>/dev/null); do kill "$child" 2>/dev/null || true; done
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${LOADTEST_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  LOADTEST_PIDS=()
  [ -n "$LOADTEST_TMP" ] && rm -rf "$LOADTEST_TMP"
  LOADTEST_TMP=""
}
