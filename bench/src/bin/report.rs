//! `cargo run --release -p infconv-bench --bin bench-report [-- --quick]`: runs the suite, prints
//! one JSON record per line (`--from FILE` re-reads such lines instead of measuring), writes docs/performance.json, docs/performance-tables.md and
//! docs/performance-time-vs-n.svg.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    // `--from FILE`: regenerate the docs from the JSON lines of an earlier run.
    let records: Vec<infconv_bench::BenchRecord> = match args.iter().position(|a| a == "--from") {
        Some(i) => {
            let text = std::fs::read_to_string(&args[i + 1]).expect("readable --from file");
            text.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).expect("a BenchRecord")).collect()
        }
        None => infconv_bench::run_with(quick, |r| println!("{}", serde_json::to_string(r).expect("serializable"))),
    };
    if quick {
        return; // --quick measures only; the docs keep the figures of a full run.
    }
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("docs");
    std::fs::create_dir_all(&docs).expect("docs/");
    std::fs::write(docs.join("performance.json"), serde_json::to_string_pretty(&records).expect("json")).expect("write json");
    std::fs::write(docs.join("performance-tables.md"), infconv_bench::suite::markdown(&records)).expect("write tables");
    if let Err(e) = infconv_bench::plot::time_vs_n(&records, "step", "tan", 4, &docs.join("performance-time-vs-n.svg")) {
        eprintln!("plot: {e}");
    }
}
