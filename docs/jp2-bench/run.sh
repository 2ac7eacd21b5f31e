#!/usr/bin/env bash
# label cmd... ; min wall ms (in-process decode for the Rust harness, whole process for opj_decompress),
# min CPU ms (user+sys, whole process) and max peak RSS over 5 runs
# Build first (from this folder): cargo build --release; CARGO_TARGET_DIR=target-simd cargo build --release --features simd
# Large file: ../../../shared/fixtures/make-large.sh /tmp/large (only large.jp2 is used). Prints one line per case.
B=${B:-target/release/jp2-bench}; S=${S:-target-simd/release/jp2-bench}
N=${N:-../../../shared/fixtures/nemo.jp2}; L=${L:-/tmp/large/large.jp2}
measure() { local label=$1; shift; local ts=() cs=() rss=0
  for i in 1 2 3 4 5; do
    out=$( { /usr/bin/time -f "RSS %M CPU %U %S WALL %e" "$@"; } 2>&1 )
    t=$(echo "$out" | grep -o 'in [0-9.]* ms' | awk '{print $2}')
    [ -z "$t" ] && t=$(echo "$out" | grep -o 'WALL [0-9.]*' | awk '{print $2*1000}')
    c=$(echo "$out" | grep -o 'CPU [0-9.]* [0-9.]*' | awk '{print ($2+$3)*1000}')
    r=$(echo "$out" | grep -o 'RSS [0-9]*' | awk '{print $2}')
    ts+=($t); cs+=($c); [ "$r" -gt "$rss" ] && rss=$r
  done
  printf '%-40s %7.0f ms %7.0f ms-cpu %6.0f MiB\n' "$label" "$(printf '%s\n' "${ts[@]}" | sort -n | head -1)" "$(printf '%s\n' "${cs[@]}" | sort -n | head -1)" "$(echo "$rss/1024" | bc -l)"
}
for f in "nemo $N 1 1000,500,512,512" "large $L 3 3000,2000,512,512"; do
  set -- $f; name=$1; file=$2; red=$3; reg=$4
  IFS=, read x y w h <<< "$reg"
  for d in opj hayro tessella; do
    measure "$name $d full" $B $d $file 0 -
    measure "$name $d reduce=$red" $B $d $file $red -
    measure "$name $d region" $B $d $file 0 $reg
  done
  measure "$name tessella+simd full" $S tessella $file 0 -
  measure "$name tessella+simd reduce=$red" $S tessella $file $red -
  measure "$name tessella+simd region" $S tessella $file 0 $reg
  measure "$name opj_decompress(C) full" opj_decompress -i $file -o /tmp/jp2-bench-c.ppm
  measure "$name opj_decompress(C) reduce=$red" opj_decompress -i $file -o /tmp/jp2-bench-c.ppm -r $red
  measure "$name opj_decompress(C) region" opj_decompress -i $file -o /tmp/jp2-bench-c.ppm -d $x,$y,$((x+w)),$((y+h))
done
