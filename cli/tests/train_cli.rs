//! `infconv train` as a user runs it: a run killed with SIGKILL and resumed ends with the same
//! checkpoint and logs as the uninterrupted run, and bad input is refused with exit
//! status 2, a message naming the value, and nothing written.

use infconv_train::checkpoint::Checkpoint;
use infconv_train::LogRecord;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn infconv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_infconv"))
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("infconv-train-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A small but real run: Caffe LeNet, 4 workers, tan (a bounded domain, so the line search is
/// live), 400 training images.
const RUN: &[&str] = &[
    "train", "--potential", "tan", "--iterations", "40", "--checkpoint-every", "10", "--log-every", "10", "--train-limit", "400",
    "--eval-samples", "100", "--prox-iterations", "2", "--seed", "7", "--threads", "2",
];

fn run_to_end(args: &[&str], out: &Path) {
    let st = infconv().args(args).arg("--out").arg(out).stdout(Stdio::null()).status().unwrap();
    assert!(st.success(), "{args:?} failed");
}

fn logs_without_seconds(dir: &Path) -> Vec<LogRecord> {
    let text = std::fs::read_to_string(dir.join("log.jsonl")).unwrap();
    text.lines()
        .map(|l| {
            let mut r: LogRecord = serde_json::from_str(l).unwrap();
            r.seconds = 0.0;
            r
        })
        .collect()
}

#[test]
fn a_run_killed_with_sigkill_and_resumed_ends_like_the_uninterrupted_run() {
    let whole = scratch("whole");
    run_to_end(RUN, &whole);

    let cut = scratch("cut");
    let mut child = infconv().args(RUN).arg("--out").arg(&cut).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    // Kill it once a checkpoint past iteration 10 exists and before the run ends.
    let t0 = Instant::now();
    let mut killed_at = None;
    while t0.elapsed() < Duration::from_secs(300) {
        if let Ok(ck) = Checkpoint::load(&cut.join("checkpoint.bin")) {
            if ck.header.iteration >= 10 {
                killed_at = Some(ck.header.iteration);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    let at = killed_at.expect("a checkpoint appeared");
    eprintln!("killed after the checkpoint of iteration {at} (exit {status:?})");
    assert!(at < 40 && !status.success(), "the run must be killed before it ends (checkpoint at {at})");

    // Control: the same resume from a checkpoint one ulp away in one coordinate must end
    // differently, so the bitwise comparison below can fail.
    let ulp = scratch("ulp");
    std::fs::create_dir_all(&ulp).unwrap();
    for f in ["checkpoint.bin", "log.jsonl", "log.csv"] {
        std::fs::copy(cut.join(f), ulp.join(f)).unwrap();
    }
    let mut ck = Checkpoint::load(&ulp.join("checkpoint.bin")).unwrap();
    ck.z[0] = f32::from_bits(ck.z[0].to_bits() + 1);
    ck.save(&ulp.join("checkpoint.bin")).unwrap();

    for dir in [&cut, &ulp] {
        let st = infconv().args(["train", "--resume"]).arg(dir).args(["--threads", "2"]).stdout(Stdio::null()).status().unwrap();
        assert!(st.success());
    }
    let c = Checkpoint::load(&ulp.join("checkpoint.bin")).unwrap();
    let a = Checkpoint::load(&whole.join("checkpoint.bin")).unwrap();
    let b = Checkpoint::load(&cut.join("checkpoint.bin")).unwrap();
    assert_eq!(a.header.iteration, 40);
    assert_eq!((a.header.iteration, a.header.cuts), (b.header.iteration, b.header.cuts));
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<u32>>();
    assert!(bits(&a.u) == bits(&b.u), "u differs after resume");
    assert!(bits(&a.z) == bits(&b.z), "z differs after resume");
    assert!(bits(&a.v) == bits(&b.v), "v differs after resume");
    assert_eq!(logs_without_seconds(&whole), logs_without_seconds(&cut));
    let a_bits = (bits(&a.u), bits(&a.z));
    assert!(a_bits != (bits(&c.u), bits(&c.z)), "a one-ulp change of the resumed state must change the end state");
    let last = logs_without_seconds(&whole).pop().unwrap();
    assert!(last.residual_5a.is_some() && last.envelope_stationarity.is_some(), "the last record carries Corollary 5.1");
    for f in ["figure1.svg", "summary.json", "log.csv"] {
        assert!(cut.join(f).exists(), "{f} missing");
    }
    let _ = std::fs::remove_dir_all(&whole);
    let _ = std::fs::remove_dir_all(&cut);
    let _ = std::fs::remove_dir_all(&ulp);
}

fn refused(args: &[&str], needle: &str) {
    let out = infconv().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: expected '{needle}' in: {err}");
}

#[test]
fn bad_input_is_refused_with_exit_2_and_nothing_written() {
    let out = scratch("bad");
    let o = out.to_str().unwrap();
    refused(&["train", "--lambda", "0", "--out", o], "λ = 0");
    refused(&["train", "--lambda", "-1", "--out", o], "λ = -1");
    refused(&["train", "--potential", "tanh", "--out", o], "tanh");
    refused(&["train", "--workers", "0", "--out", o], "--workers 0");
    refused(&["train", "--order", "jacobi", "--potential", "log", "--out", o], "jacobi");
    refused(&["train", "--data", "/nonexistent/mnist", "--out", o], "/nonexistent/mnist");
    assert!(!out.exists(), "a refused run wrote {}", out.display());
    refused(&["train", "--resume", o], "no checkpoint.bin");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "x").unwrap();
    refused(&["train", "--iterations", "1", "--out", o], "not empty");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "nothing may be written into a non-empty folder");
    refused(&["train", "--resume", o, "--lambda", "0.1"], "drop --lambda");
    refused(&["table1", "--grid", "huge"], "--grid huge");
    let _ = std::fs::remove_dir_all(&out);
}
