#!/usr/bin/env bash
# Builds the Cloudflare Worker (edge/worker) with worker-build into edge/worker/build/ (worker/shim.mjs,
# which wrangler.toml's `main` names, index.js and index_bg.wasm), then prints the bundle's size.
#
# Installs what it needs when missing, and reuses it after: the wasm32-unknown-unknown target (rustup),
# worker-build and the wasm-bindgen CLI (cargo install into ~/.cache/tessella-tools, outside the
# repository; the CLI's version is the wasm-bindgen in edge/Cargo.lock, as it must be), binaryen's
# wasm-opt and esbuild (npm ci here, pinned by package-lock.json). worker-build is handed all three
# tools by path, so it downloads nothing itself.
# Usage: edge/worker/build.sh   (TESSELLA_TOOLS=DIR to cache the tools elsewhere)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
edge=$(cd "$here/.." && pwd)
tools=${TESSELLA_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/tessella-tools}
# Builds with rustc 1.92+; the newest release when this was written.
worker_build_version=0.8.7

out="$here/build"
# Skipped when the bundle is newer than everything it is built from (TESSELLA_WORKER_REBUILD=1 forces).
fresh() {
  [ -z "${TESSELLA_WORKER_REBUILD:-}" ] && [ -f "$out/index_bg.wasm" ] && [ -f "$out/worker/shim.mjs" ] &&
    [ -z "$(find "$edge/Cargo.toml" "$edge/Cargo.lock" "$edge/core/Cargo.toml" "$edge/core/src" \
      "$here/Cargo.toml" "$here/src" "$here/package-lock.json" "$edge/../shared/Cargo.toml" \
      "$edge/../shared/src" -newer "$out/index_bg.wasm" -print -quit)" ]
}

build() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

  # `cargo install` into a folder of its own per version, once.
  ensure_crate() {
    local crate=$1 version=$2 bin=$3
    local root="$tools/$crate-$version"
    if [ ! -x "$root/bin/$bin" ]; then
      echo "build.sh: installing $crate $version into $root" >&2
      nice -n 10 cargo install "$crate" --version "$version" --root "$root" >&2
    fi
    printf '%s\n' "$root/bin/$bin"
  }

  bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' \
    "$edge/Cargo.lock")
  [ -n "$bindgen_version" ] || { echo "build.sh: no wasm-bindgen in $edge/Cargo.lock" >&2; exit 1; }
  worker_build=$(ensure_crate worker-build "$worker_build_version" worker-build)
  WASM_BINDGEN_BIN=$(ensure_crate wasm-bindgen-cli "$bindgen_version" wasm-bindgen)
  export WASM_BINDGEN_BIN

  [ -x "$here/node_modules/.bin/wasm-opt" ] && [ -x "$here/node_modules/.bin/esbuild" ] ||
    (cd "$here" && npm ci --silent --no-audit --no-fund)
  export WASM_OPT_BIN="$here/node_modules/.bin/wasm-opt"
  export ESBUILD_BIN="$here/node_modules/.bin/esbuild"

  (cd "$here" && nice -n 10 "$worker_build" --release)
}

if fresh; then
  echo "build.sh: $out is newer than its sources: not rebuilt"
else
  build
fi

[ -f "$out/worker/shim.mjs" ] || { echo "build.sh: worker-build wrote no $out/worker/shim.mjs" >&2; exit 1; }
# What Cloudflare counts against the Worker size limit: every module of the upload (the shim, the
# bundled JS glue, the wasm), gzipped.
raw=0
gz=0
for f in "$out"/worker/*.mjs "$out"/*.js "$out"/*.wasm; do
  [ -f "$f" ] || continue
  r=$(wc -c <"$f")
  g=$(gzip -9 -c "$f" | wc -c)
  printf 'bundle: %-28s %9d bytes, %9d gzipped\n' "$(basename "$f")" "$r" "$g"
  raw=$((raw + r))
  gz=$((gz + g))
done
awk -v raw="$raw" -v gz="$gz" \
  'BEGIN { printf "bundle: total %d bytes (%.2f MiB), %d gzipped (%.2f MiB)\n", raw, raw / 1048576, gz, gz / 1048576 }'
