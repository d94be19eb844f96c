//! Benchmarks of infconv: see `benches/`.
