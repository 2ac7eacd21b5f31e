#!/usr/bin/env bash
# Tessella's whole test suite: the one command the README names and CI runs (.ci/run).
# It installs what it needs (Rust targets and components), then checks formatting, lints, the core's
# WebAssembly builds, and runs every test. Safe to rerun; exits non-zero on the first failure.
set -eEuo pipefail
cd "$(dirname "$0")/.."

# Tests read the shared test images from ../shared/fixtures (beside the repository, as in CI).
if [ ! -f ../shared/fixtures/README.md ]; then
  echo "run.sh: ../shared/fixtures not found beside the repository ($(pwd)/..); tests need the shared test images" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

passed=0
log=$(mktemp)
step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local start=$SECONDS
  "$@" 2>&1 | tee -a "$log"
  # A step that runs cargo's test harness is counted by its tests, a script that prints its own
  # "checks: N passed, M failed" by its checks; any other step is one check.
  case "$*" in
    *"cargo test"*) ;;
    *) tail -n 1 "$log" | grep -qE '^checks: [0-9]+ passed, [0-9]+ failed$' || passed=$((passed + 1)) ;;
  esac
  printf '<== %s ok (%ds)\n' "$name" "$((SECONDS - start))"
}
# The closing line counts tests (cargo's "test result" lines and scripts' "checks:" lines) plus each check
# that is not a test run.
summary() {
  local failed_steps=$1
  awk -v steps="$passed" -v failed_steps="$failed_steps" '
    /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }  }
    /^checks: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    END { printf "tests: %d passed, %d failed\n", p + steps, f + failed_steps }' "$log"
}
# On a failure, the space left on the build's disk goes first: a full disk shows up as a linker or
# compiler error far from its cause.
failed() {
  echo
  df -h "${CARGO_TARGET_DIR:-.}" 2>/dev/null | sed 's/^/disk: /' || true
  summary 1
}
trap failed ERR

# `wasm_tests cargo test ARGS…`: builds the tests for wasm32-wasip1 with simd128 and runs each test binary
# under Node's WASI (scripts/run-wasi.mjs), so code paths that only exist in wasm are tested too.
wasm_tests() {
  shift 2
  local built
  built=$(RUSTFLAGS="-C target-feature=+simd128" cargo test "$@" --target wasm32-wasip1 --no-run --message-format=json |
    python3 scripts/cargo-executables.py)
  [ -n "$built" ] || { echo "wasm_tests: no test binary built" >&2; return 1; }
  local wasm
  for wasm in $built; do
    node --no-warnings scripts/run-wasi.mjs "$wasm" || return 1
  done
}

ensure_toolchain() {
  local installed
  installed=$(rustup target list --installed)
  for t in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2 x86_64-unknown-none; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
  done
  local components
  components=$(rustup component list --installed)
  for c in rustfmt clippy; do
    grep -q "^$c" <<<"$components" || rustup component add "$c"
  done
}

# Tools tests compare our output with (Debian's OpenJPEG and OpenJPH command lines decode our JPEG 2000 and
# HTJ2K derivatives, opj_compress writes codestreams of other shapes), and OpenJPH's development files,
# which the HTJ2K encoder (crate tessella-openjph, the origin's `htj2k` feature) links.
ensure_tools() {
  local missing=()
  command -v opj_decompress >/dev/null && command -v opj_compress >/dev/null || missing+=(libopenjp2-tools)
  command -v ojph_expand >/dev/null || missing+=(openjph-tools)
  [ -e /usr/include/openjph/ojph_codestream.h ] || missing+=(libopenjph-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

step "toolchain (wasm and no-std targets, rustfmt, clippy)" ensure_toolchain
step "Debian tools and libraries (OpenJPEG and OpenJPH tools, libopenjph-dev)" ensure_tools
# Tests that use an external tool fail rather than skip when it is missing.
export TESSELLA_REQUIRE_TOOLS=1
step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy --all-targets -D warnings" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo clippy core with std encoders" cargo clippy -p tessella-core --all-targets --features std --locked -- -D warnings
step "core builds for wasm32-unknown-unknown" cargo build -p tessella-core --target wasm32-unknown-unknown --locked
step "core builds for wasm32-wasip2" cargo build -p tessella-core --target wasm32-wasip2 --locked
step "core with std encoders builds for wasm32-unknown-unknown" \
  cargo build -p tessella-core --target wasm32-unknown-unknown --features std --locked
step "core with std encoders builds for wasm32-wasip2" \
  cargo build -p tessella-core --target wasm32-wasip2 --features std --locked
# A target with no std at all: proves the core and every dependency it pulls in are no_std + alloc.
step "core builds with no std (x86_64-unknown-none)" cargo build -p tessella-core --target x86_64-unknown-none --locked
step "vendored zune-jpeg: the wasm simd128 IDCT equals the scalar one (wasm32-wasip1 under Node)" \
  wasm_tests cargo test --manifest-path vendor/zune-jpeg/Cargo.toml --lib --locked --target-dir "${CARGO_TARGET_DIR:-target}"
step "vendored jpeg-encoder: the wasm simd128 FDCT equals the scalar one, and its own tests (wasm32-wasip1 under Node)" \
  wasm_tests cargo test --manifest-path vendor/jpeg-encoder/Cargo.toml --lib --locked --target-dir "${CARGO_TARGET_DIR:-target}"
step "vendored jpeg-encoder: its tests natively with the simd feature (the SSE2 and AVX2 paths against the scalar ones)" \
  cargo test --manifest-path vendor/jpeg-encoder/Cargo.toml --lib --features simd --locked --target-dir "${CARGO_TARGET_DIR:-target}"
step "benchmarks run once (criterion test mode)" cargo test -p tessella-core --bench request --locked
step "cargo test (workspace)" cargo test --workspace --locked
step "cargo test core with std encoders" cargo test -p tessella-core --features std --locked
step "cargo clippy origin with HTJ2K (OpenJPH)" \
  cargo clippy -p tessella-origin --features htj2k --all-targets --locked -- -D warnings
step "cargo test conversion with HTJ2K (OpenJPH)" \
  cargo test -p tessella-origin --features htj2k --lib --test convert --locked
# The edge: its own workspace (edge/Cargo.toml, own Cargo.lock), kept out of the host build above.
step "edge: cargo fmt --check" cargo fmt --manifest-path edge/Cargo.toml --all -- --check
step "edge: clippy tessella-edge -D warnings" \
  cargo clippy --manifest-path edge/Cargo.toml -p tessella-edge --all-targets --locked -- -D warnings
step "edge: clippy Spin component (wasm32-wasip2) -D warnings" \
  cargo clippy --manifest-path edge/Cargo.toml -p tessella-edge-spin --target wasm32-wasip2 --locked -- -D warnings
step "edge: clippy Worker (wasm32-unknown-unknown) -D warnings" \
  cargo clippy --manifest-path edge/Cargo.toml -p tessella-edge-worker --target wasm32-unknown-unknown --locked -- -D warnings
step "edge: cargo test (tessella-edge flow with in-memory I/O)" \
  cargo test --manifest-path edge/Cargo.toml -p tessella-edge --locked
# With simd128 (the pixel kernels' wasm SIMD paths; wasmtime and Spin run it): the build the wasmtime
# tests below host.
step "edge: Spin component builds (wasm32-wasip2, simd128, release)" \
  env CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --manifest-path edge/Cargo.toml -p tessella-edge-spin --target wasm32-wasip2 --release --locked
# End to end against real peers, on loopback, with the server binary the tests built.
bin=${CARGO_TARGET_DIR:-target}/debug/tessella
step "build the tessella binary" cargo build --bin tessella --locked
step "edge: Cloudflare Worker under workerd (Miniflare: edge vs origin headers and PSNR, Cache API, R2, budget fallback)" \
  tests/edge-worker/run.sh "$bin"
# The built Spin component in-process under wasmtime (edge/host), against this binary on loopback. Its
# large-source test reads the 120 MB-class pyramid loadtest/sources.sh builds (cached; the load-test smoke
# step below uses the same folder).
step "edge: clippy wasmtime host (tessella-edge-host) -D warnings" \
  cargo clippy --manifest-path edge/Cargo.toml -p tessella-edge-host --all-targets --locked -- -D warnings
large_pyramid=$(loadtest/sources.sh)/ptiff-large.tif
edge_wasm=${CARGO_TARGET_DIR:-edge/target}/wasm32-wasip2/release/tessella_edge_spin.wasm
step "edge: Spin component under wasmtime against the origin (tessella-edge-host)" \
  env TESSELLA_BIN="$(realpath "$bin")" TESSELLA_EDGE_WASM="$(realpath "$edge_wasm")" \
  TESSELLA_EDGE_LARGE_PYRAMID="$large_pyramid" \
  cargo test --manifest-path edge/Cargo.toml -p tessella-edge-host --locked
step "official IIIF validator (3.0 and 2.1, level 2 + advertised level 3)" tests/conformance/iiif-validator.sh "$bin"
step "OpenSeadragon in headless Chromium" tests/viewer/run.sh "$bin"
step "IIIF Presentation 2.1 read back by iiif-prezi (offline)" tests/prezi/run.sh "$bin"
step "Mirador in headless Chromium (a POSTed CSV batch's 3.0 manifest)" tests/mirador/run.sh "$bin"
step "S3 end to end (moto server: S3 sources, S3 derivative cache, admin purge, validator, manifests)" \
  tests/s3/run.sh "$bin"
step "load-test smoke (Locust, reduced matrix, caches off: no non-2xx or non-image response)" \
  loadtest/smoke.sh "$bin"

trap - ERR
echo
summary 0
