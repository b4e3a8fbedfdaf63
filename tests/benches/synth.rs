//! Synthesis time for the sample stack and for generated stacks up to CloudFormation's
//! 500-resource limit. Run with `cargo bench -p tests`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stacks::sample::sample_stack;
use tests::wide_stack;

fn synthesis(c: &mut Criterion) {
    c.bench_function("synth/sample", |b| {
        let stack = sample_stack();
        b.iter(|| stack.synth().expect("synthesizes"))
    });
    c.bench_function("build+synth/sample", |b| {
        b.iter(|| sample_stack().synth().expect("synthesizes"))
    });
    let mut group = c.benchmark_group("synth/wide");
    for n in [50, 500] {
        let stack = wide_stack(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &stack, |b, s| {
            b.iter(|| s.synth().expect("synthesizes"))
        });
    }
    group.finish();
}

criterion_group!(benches, synthesis);
criterion_main!(benches);
