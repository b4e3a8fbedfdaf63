//! Integration tests live in `tests/`; benchmarks in `benches/`.
