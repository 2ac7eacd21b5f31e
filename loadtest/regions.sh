#!/usr/bin/env bash
# Simulated regions: viewers far from the origin, in Linux network namespaces on this machine, against
# (a) the origin reached directly over the far link and (b) an edge in the viewer's own namespace (near)
# with the origin far. The script creates its namespaces, links and shaping, and removes all of them on
# exit (only namespace and loopback addresses, 10.203.N.0/30; namespaces named tslt-*).
#
#   tslt-origin: tessella serve (127.0.0.1 inside it)
#       │ veth per region, bandwidth limited both ways (tc tbf) and delayed RTT/2 each way:
#       │   netem when the kernel has it, else loadtest/lib/delay_relay.py on the origin's side
#   tslt-v{RTT}: Locust (loadtest/matrix.py --region {RTT}ms-origin-direct / {RTT}ms-edge-near)
#                and the near server on its loopback
#
# The near server is the real edge when --edge-cmd is given (a command run inside the viewer namespace
# with {port} and {origin} replaced by its listening port and the far origin's URL, e.g. a `wrangler dev`
# or `spin up` invocation). Without it, a second `tessella serve` over the same files stands in: an edge
# that already holds every byte near the viewer (a best case: no fetch from the far origin at all).
#
# Usage: loadtest/regions.sh [--bin TESSELLA] [--rtts 10,70,150] [--rate 100mbit] [--users 10]
#          [--cell-seconds 60] [--requested tile,pct50] [--format ptiff] [--size medium]
#          [--delay auto|netem|relay] [--edge-cmd CMD] [--edge-kind edge|tessella] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

bin="" rtts=10,70,150 rate=100mbit users=10 cell=60 requested=tile,pct50 format=ptiff size=medium
delay=auto edge_cmd="" edge_kind=edge out="" think_min=1 think_max=3
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --rtts) rtts=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --cell-seconds) cell=$2; shift 2 ;;
    --requested) requested=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --delay) delay=$2; shift 2 ;;
    --edge-cmd) edge_cmd=$2; shift 2 ;;
    --edge-kind) edge_kind=$2; shift 2 ;;
    --think) think_min=${2%,*}; think_max=${2#*,}; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "regions.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then echo "regions.sh: needs root (network namespaces)" >&2; exit 2; fi
apt_install iproute2 curl procps
namespaces=()
cleanup() {
  loadtest_cleanup
  local ns
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
loadtest_init
trap cleanup EXIT
trap 'exit 143' TERM INT

# Namespaces first: if this kernel or container cannot make them, say why and stop.
probe=tslt-probe-$$
if ! err=$(ip netns add "$probe" 2>&1); then
  echo "regions.sh: blocked: 'ip netns add' fails here: $err" >&2
  exit 3
fi
ip netns del "$probe"

# netem? (CONFIG_NET_SCH_NETEM; a kernel booted with `nomodule` cannot load it)
ip link add tslt-probe0 type veth peer name tslt-probe1
if tc qdisc add dev tslt-probe0 root netem delay 1ms 2>/dev/null; then have_netem=1; else have_netem=0; fi
ip link del tslt-probe0
case $delay in
  auto) [ $have_netem = 1 ] && delay=netem || delay=relay ;;
  netem) [ $have_netem = 1 ] || { echo "regions.sh: blocked: no netem qdisc in this kernel ($(uname -r)); --delay relay adds the delay in user space instead" >&2; exit 3; } ;;
  relay) ;;
  *) echo "regions.sh: --delay is auto, netem or relay" >&2; exit 2 ;;
esac
if [ $have_netem = 0 ]; then
  echo "regions.sh: netem is not available in this kernel ($(uname -r)$(zcat /proc/config.gz 2>/dev/null | grep -q '^# CONFIG_NET_SCH_NETEM is not set' && echo ': CONFIG_NET_SCH_NETEM is not set')); delay by the user-space relay (loadtest/lib/delay_relay.py), bandwidth by tc tbf"
fi

ensure_venv
py=$LOADTEST_VENV/bin/python
study=$("$here/sources.sh")
if [ -z "$bin" ]; then
  bin=${CARGO_TARGET_DIR:-$repo/target}/release/tessella
  [ -x "$bin" ] || (cd "$repo" && nice cargo build --release --locked --bin tessella)
fi
out=${out:-$here/out/regions-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

origin_ns=tslt-origin
ip netns add "$origin_ns"; namespaces+=("$origin_ns")
ip -n "$origin_ns" link set lo up
# Every address in the origin's namespace: its loopback (the relay's upstream) and the far links.
origin_port=8080
start_tessella "$bin" "$study" "0.0.0.0:$origin_port" "$origin_ns"

shape() {  # shape NS DEV ONE_WAY_MS
  local ns=$1 dev=$2 ms=$3
  if [ "$delay" = netem ]; then
    ip netns exec "$ns" tc qdisc add dev "$dev" root netem delay "${ms}ms" rate "$rate" limit 100000
  else
    ip netns exec "$ns" tc qdisc add dev "$dev" root tbf rate "$rate" burst 256kb latency 200ms
  fi
}

i=0
for rtt in ${rtts//,/ }; do
  i=$((i + 1))
  one_way=$(python3 -c "print($rtt / 2)")
  vns=tslt-v$rtt
  ip netns add "$vns"; namespaces+=("$vns")
  ip -n "$vns" link set lo up
  ip link add "tslt-o$rtt" netns "$origin_ns" type veth peer name "tslt-v$rtt" netns "$vns"
  ip -n "$origin_ns" addr add "10.203.$i.1/30" dev "tslt-o$rtt"
  ip -n "$vns" addr add "10.203.$i.2/30" dev "tslt-v$rtt"
  ip -n "$origin_ns" link set "tslt-o$rtt" up
  ip -n "$vns" link set "tslt-v$rtt" up
  shape "$origin_ns" "tslt-o$rtt" "$one_way"
  shape "$vns" "tslt-v$rtt" "$one_way"
  if [ "$delay" = relay ]; then
    relay_port=9000
    ip netns exec "$origin_ns" "$py" "$here/lib/delay_relay.py" --listen "10.203.$i.1:$relay_port" \
      --upstream "127.0.0.1:$origin_port" --one-way-ms "$one_way" &
    LOADTEST_PIDS+=("$!")
    far_origin=http://10.203.$i.1:$relay_port
  else
    far_origin=http://10.203.$i.1:$origin_port
  fi
  for _ in $(seq 100); do ip netns exec "$vns" curl -fs -o /dev/null "$far_origin/health" && break; sleep 0.1; done
  measured=$(ip netns exec "$vns" curl -s -o /dev/null -w '%{time_connect} %{time_total}' "$far_origin/health")
  echo "regions.sh: ${rtt} ms region: far origin $far_origin, curl connect/total ${measured} s (rate $rate, delay by $delay)"

  # The near server in the viewer's namespace: the edge, or tessella standing in for it.
  near_port=8090
  if [ -n "$edge_cmd" ]; then
    cmd=${edge_cmd//\{port\}/$near_port}
    cmd=${cmd//\{origin\}/$far_origin}
    ip netns exec "$vns" bash -c "exec $cmd" >"$LOADTEST_TMP/edge-$rtt.log" 2>&1 &
    LOADTEST_PIDS+=("$!")
    for _ in $(seq 600); do ip netns exec "$vns" curl -s -o /dev/null "http://127.0.0.1:$near_port/" && break; sleep 0.1; done
    near_kind=$edge_kind near_label=edge-near
  else
    start_tessella "$bin" "$study" "127.0.0.1:$near_port" "$vns"
    near_kind=tessella near_label=edge-near-standin
  fi

  common=(--preset short --formats "$format" --sizes "$size" --requested "$requested" --users "$users"
    --cell-seconds "$cell" --think-min "$think_min" --think-max "$think_max" --out "$out")
  ip netns exec "$vns" "$py" "$here/matrix.py" "${common[@]}" --target-kind tessella \
    --base-url "$far_origin" --region "${rtt}ms-origin-direct"
  ip netns exec "$vns" "$py" "$here/matrix.py" "${common[@]}" --target-kind "$near_kind" \
    --base-url "http://127.0.0.1:$near_port" --region "${rtt}ms-$near_label"
done
echo "delay: $delay, rate: $rate, kernel $(uname -r)" >"$out/regions-network.txt"
"$py" "$here/report.py" "$out" --title "Simulated regions"
