#!/usr/bin/env bash
# Tessella's whole test suite: the one command the README names and CI runs (.ci/run).
# It installs what it needs (Rust targets and components), then checks formatting, lints, the core's
# WebAssembly builds, and runs every test. Safe to rerun; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local start=$SECONDS
  "$@"
  passed=$((passed + 1))
  printf '<== %s ok (%ds)\n' "$name" "$((SECONDS - start))"
}
trap 'echo; echo "tests: ${passed} passed, 1 failed"' ERR

ensure_toolchain() {
  local installed
  installed=$(rustup target list --installed)
  for t in wasm32-unknown-unknown wasm32-wasip2 x86_64-unknown-none; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
  done
  local components
  components=$(rustup component list --installed)
  for c in rustfmt clippy; do
    grep -q "^$c" <<<"$components" || rustup component add "$c"
  done
}

step "toolchain (wasm and no-std targets, rustfmt, clippy)" ensure_toolchain
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
step "benchmarks run once (criterion test mode)" cargo test -p tessella-core --bench request --locked
step "cargo test (workspace)" cargo test --workspace --locked
step "cargo test core with std encoders" cargo test -p tessella-core --features std --locked

trap - ERR
echo
echo "tests: ${passed} passed, 0 failed"
