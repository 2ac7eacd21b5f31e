//! A 10,000-row batch (1 collection, 1,000 works of 9 pages) read and rendered to 3.0 JSON.
//! `cargo bench -p tessella-manifest`; the figure is in BENCHMARKS.md.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tessella_manifest::{Context, PLACEHOLDER_BASE, Presentation, read_batch};

/// A Fester-style CSV: one collection, `works` works, `pages` pages each, sizes in the media columns.
fn batch_csv(works: usize, pages: usize) -> String {
    let mut csv = String::from(
        "Item ARK,Parent ARK,Object Type,Title,File Name,Item Sequence,media.width,media.height,Name.repository\n",
    );
    csv.push_str("ark:/21198/zc00000000,,Collection,Bench collection,,,,,UCLA Library Special Collections\n");
    for w in 0..works {
        let _ = writeln!(csv, "ark:/21198/zw{w:08},ark:/21198/zc00000000,Work,Work {w},,,,,");
        for p in 0..pages {
            let _ = writeln!(
                csv,
                "ark:/21198/zp{w:05}{p:03},ark:/21198/zw{w:08},Page,Page {p},Masters/w{w}/p{p}.tif,{},4000,6000,",
                p + 1
            );
        }
    }
    csv
}

fn build(csv: &str) -> usize {
    let catalog = read_batch(csv.as_bytes()).expect("batch");
    let sizes: HashMap<String, (u32, u32)> = HashMap::new();
    let ctx = Context::new(Presentation::V3, PLACEHOLDER_BASE, &sizes);
    let mut bytes = 0;
    for doc in catalog.documents(&ctx) {
        let doc = doc.expect("document");
        bytes += serde_json::to_vec(&doc.json).expect("json").len();
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let csv = batch_csv(1_000, 9);
    assert_eq!(csv.lines().count(), 1 + 1 + 1_000 + 9_000);
    let mut group = c.benchmark_group("manifests");
    group.sample_size(10);
    group.bench_function("10k rows to 3.0 JSON", |b| b.iter(|| black_box(build(black_box(&csv)))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
