//! `mpirun -n P infconv train` (feature `mpi`): the ranks reproduce the single-process CPU engine
//! bit for bit (u, every zⱼ and vⱼ of the final checkpoint) for P ∈ {1, 2, 4}, in both orders and
//! with `--comm-period`; a rank fed the wrong minibatches is caught by the same comparison;
//! checkpoints move between any numbers of ranks; a rank killed with SIGKILL ends the job; ranks
//! with different configurations are stopped with the field named.
//!
//! Every launch is `mpirun --oversubscribe --allow-run-as-root -n P` on one machine with one
//! thread per rank. Seeds are fixed (printed with each run).
#![cfg(feature = "mpi")]

use infconv_train::checkpoint::Checkpoint;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_infconv");

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("infconv-mpi-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// LeNet-5 (Caffe, 431,080 parameters), M = 4 workers, tan (a bounded domain, so the feasibility
/// bound over all workers is computed every step), 200 training images.
fn base(iterations: usize) -> Vec<String> {
    let s = format!(
        "train --potential tan --workers 4 --iterations {iterations} --batch 20 --checkpoint-every 3 --log-every 100 \
         --train-limit 200 --eval-samples 40 --prox-iterations 1 --seed 11 --threads 1"
    );
    s.split_whitespace().map(String::from).collect()
}

fn mpirun(p: usize) -> Command {
    let mut c = Command::new("mpirun");
    c.args(["--oversubscribe", "--allow-run-as-root", "-n", &p.to_string(), BIN]);
    c
}

fn run(mut c: Command, args: &[String], out: &Path) -> Output {
    println!("run: {:?} {} --out {}", c.get_args().collect::<Vec<_>>(), args.join(" "), out.display());
    let t0 = Instant::now();
    let o = c.args(args).arg("--out").arg(out).stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    println!("  {:.1} s, {}", t0.elapsed().as_secs_f64(), o.status);
    o
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "failed: {}\n{}", o.status, String::from_utf8_lossy(&o.stderr));
    o
}

fn single(args: &[String], out: &Path) -> Checkpoint {
    ok(run(Command::new(BIN), args, out));
    Checkpoint::load(&out.join("checkpoint.bin")).unwrap()
}

fn ranks(p: usize, args: &[String], out: &Path) -> Checkpoint {
    ok(run(mpirun(p), args, out));
    Checkpoint::load(&out.join("checkpoint.bin")).unwrap()
}

/// The first difference of two checkpoints' states, bit for bit (None: identical).
fn diff(a: &Checkpoint, b: &Checkpoint) -> Option<String> {
    if a.header.iteration != b.header.iteration || a.header.cuts != b.header.cuts {
        return Some(format!("iteration/cuts {}/{} vs {}/{}", a.header.iteration, a.header.cuts, b.header.iteration, b.header.cuts));
    }
    let n = a.header.n;
    for (name, x, y) in [("u", &a.u, &b.u), ("z", &a.z, &b.z), ("v", &a.v, &b.v)] {
        if x.len() != y.len() {
            return Some(format!("{name}: {} vs {} values", x.len(), y.len()));
        }
        if let Some(i) = (0..x.len()).find(|&i| x[i].to_bits() != y[i].to_bits()) {
            return Some(format!("{name}[{i}] (worker {}) {} vs {}", i / n, x[i], y[i]));
        }
    }
    None
}

#[test]
fn every_number_of_ranks_reproduces_one_process_bit_for_bit_and_a_shifted_stream_is_caught() {
    let args = base(6);
    let one = single(&args, &scratch("single"));
    for p in [1, 2, 4] {
        let ck = ranks(p, &args, &scratch(&format!("p{p}")));
        assert_eq!(diff(&one, &ck), None, "P = {p} differs from one process");
        println!("P = {p}: u, z₁..z₄, v₁..v₄ bit-identical to one process ({} cuts)", ck.header.cuts);
    }
    // Control: rank 1 of 2 draws the next iteration's minibatches; the comparison must flag it,
    // in the copies of rank 1's workers (3 and 4) and through the consensus in u.
    let mut c = mpirun(2);
    c.env("INFCONV_TEST_SHIFT_RANK", "1");
    ok(run(c, &args, &scratch("shifted")));
    let bad = Checkpoint::load(&scratch_keep("shifted").join("checkpoint.bin")).unwrap();
    let d = diff(&one, &bad).expect("a rank on the wrong minibatches was not flagged");
    println!("control flagged: {d}");
    let n = one.header.n;
    assert!(one.u != bad.u && one.z[2 * n..] != bad.z[2 * n..]);
}

fn scratch_keep(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("infconv-mpi-{}-{name}", std::process::id()))
}

#[test]
fn jacobi_order_and_comm_period_match_one_process_and_msgd_runs_on_one_rank() {
    // Jacobi (17) needs an unbounded potential: quad.
    let mut args = base(4);
    args[2] = "quad".into();
    args.extend(["--order".into(), "jacobi".into()]);
    let one = single(&args, &scratch("jacobi-1"));
    let two = ranks(2, &args, &scratch("jacobi-2"));
    assert_eq!(diff(&one, &two), None, "Jacobi with 2 ranks");
    // --comm-period 2 (local steps, then a gather of zⱼ, vⱼ, δⱼ) with 4 ranks; odd iterations
    // end in a local phase, so the last checkpoint needs that gather too.
    let mut args = base(5);
    args.extend(["--comm-period".into(), "2".into()]);
    let one = single(&args, &scratch("cp-1"));
    let four = ranks(4, &args, &scratch("cp-4"));
    assert_eq!(diff(&one, &four), None, "--comm-period 2 with 4 ranks");
    // mSGD: M = 1, so P = 1 runs and P = 2 is refused naming both.
    let msgd: Vec<String> = "train --potential msgd --iterations 3 --train-limit 100 --eval-samples 20 --prox-iterations 1 --seed 3 --threads 1"
        .split_whitespace()
        .map(String::from)
        .collect();
    let a = single(&msgd, &scratch("msgd-1"));
    let b = ranks(1, &msgd, &scratch("msgd-mpi1"));
    assert_eq!(diff(&a, &b), None, "mSGD under mpirun -n 1");
    let o = run(mpirun(2), &msgd, &scratch("msgd-2"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("2 MPI ranks") && err.contains("--workers 1"), "{err}");
}

/// The processes whose parent is `pid` (the ranks mpirun started).
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else { continue };
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        let Some(rest) = stat.rfind(')').map(|k| &stat[k + 1..]) else { continue };
        let ppid: Option<u32> = rest.split_whitespace().nth(1).and_then(|x| x.parse().ok());
        if ppid == Some(pid) {
            if let Ok(p) = e.file_name().to_string_lossy().parse() {
                out.push(p);
            }
        }
    }
    out
}

/// Waits until the run folder's checkpoint is past iteration 3 and before the end.
fn wait_for_checkpoint(out: &Path, child: &mut Child, end: usize) -> usize {
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(300) {
        if let Ok(ck) = Checkpoint::load(&out.join("checkpoint.bin")) {
            if ck.header.iteration >= 3 {
                assert!(ck.header.iteration < end, "the run ended before it could be killed");
                return ck.header.iteration;
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "the run stopped early");
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no checkpoint after 300 s");
}

#[test]
fn a_rank_killed_ends_the_job_and_checkpoints_resume_across_numbers_of_ranks() {
    let iterations = 60;
    let args = base(iterations);
    let whole = single(&args, &scratch("whole"));

    // 2 ranks, rank 1 killed with SIGKILL after a checkpoint: the job must end, non-zero, soon.
    let cut = scratch("cut-2");
    let mut c = mpirun(2);
    let mut job = c.args(&args).arg("--out").arg(&cut).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let at = wait_for_checkpoint(&cut, &mut job, iterations);
    let kids = children(job.id());
    assert_eq!(kids.len(), 2, "expected mpirun's 2 ranks, found {kids:?}");
    let victim = *kids.iter().max().unwrap();
    let t0 = Instant::now();
    assert!(Command::new("kill").args(["-KILL", &victim.to_string()]).status().unwrap().success());
    let status = loop {
        if let Some(s) = job.try_wait().unwrap() {
            break s;
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "the job still runs 30 s after a rank was killed");
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = t0.elapsed().as_secs_f64();
    println!("SIGKILL to a rank after checkpoint {at}: mpirun exited with {status} after {took:.2} s");
    assert!(!status.success());
    assert!(!cut.join(".checkpoint.bin.tmp").exists() || Checkpoint::load(&cut.join("checkpoint.bin")).is_ok());
    let ck = Checkpoint::load(&cut.join("checkpoint.bin")).expect("the last checkpoint is whole");
    println!("  checkpoint at iteration {} survives", ck.header.iteration);
    // 2 → 1: resume in one process.
    ok(Command::new(BIN).args(["train", "--resume"]).arg(&cut).args(["--threads", "1"]).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap());
    let resumed = Checkpoint::load(&cut.join("checkpoint.bin")).unwrap();
    assert_eq!(diff(&whole, &resumed), None, "2 ranks → 1 process");

    // 1 → 4: a single process killed after a checkpoint, resumed by 4 ranks.
    let cut = scratch("cut-1");
    let mut one = Command::new(BIN).args(&args).arg("--out").arg(&cut).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    wait_for_checkpoint(&cut, &mut one, iterations);
    one.kill().unwrap();
    one.wait().unwrap();
    let mut c = mpirun(4);
    c.args(["train", "--resume"]).arg(&cut).args(["--threads", "1"]);
    ok(c.stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap());
    let resumed = Checkpoint::load(&cut.join("checkpoint.bin")).unwrap();
    assert_eq!(diff(&whole, &resumed), None, "1 process → 4 ranks");
    // Control: the killed run's own last checkpoint is not the end state.
    assert!(diff(&whole, &ck).is_some());
}

#[test]
fn ranks_with_different_configurations_stop_naming_the_field() {
    let a = base(3);
    let mut b = base(3);
    let k = b.iter().position(|x| x == "--seed").unwrap();
    b[k + 1] = "12".into();
    let out = scratch("mismatch");
    let mut c = Command::new("mpirun");
    c.args(["--oversubscribe", "--allow-run-as-root", "-n", "1", BIN]).args(&a).arg("--out").arg(&out);
    c.args([":", "-n", "1", BIN]).args(&b).arg("--out").arg(&out);
    let t0 = Instant::now();
    let o = c.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    println!("mismatch refused after {:.1} s: {}", t0.elapsed().as_secs_f64(), err.lines().find(|l| l.contains("seed")).unwrap_or(""));
    assert!(!o.status.success());
    assert!(err.contains("seed is 12 here but 11 on rank 0"), "{err}");
    // Control: the same two command lines with equal seeds run.
    let out = scratch("match");
    let mut c = Command::new("mpirun");
    c.args(["--oversubscribe", "--allow-run-as-root", "-n", "1", BIN]).args(&a).arg("--out").arg(&out);
    c.args([":", "-n", "1", BIN]).args(&a).arg("--out").arg(&out);
    ok(c.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap());
}
