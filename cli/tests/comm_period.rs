//! `infconv train --comm-period k`: k = 1 is Algorithm 1 exactly (bit for bit the run without the
//! flag), k = 2 (one local step between elastic interactions) is a different run, and bad values are
//! refused naming the value.

use infconv_train::checkpoint::Checkpoint;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn train(name: &str, extra: &[&str]) -> Checkpoint {
    let out = std::env::temp_dir().join(format!("infconv-comm-period-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let args = "train --potential tan --workers 3 --iterations 4 --train-limit 120 --eval-samples 20 --log-every 100 \
                --prox-iterations 1 --seed 5 --threads 1";
    let st = Command::new(env!("CARGO_BIN_EXE_infconv"))
        .args(args.split_whitespace())
        .args(extra)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "{name} failed");
    Checkpoint::load(&PathBuf::from(&out).join("checkpoint.bin")).unwrap()
}

fn bits(x: &[f32]) -> Vec<u32> {
    x.iter().map(|a| a.to_bits()).collect()
}

#[test]
fn period_one_is_algorithm_1_and_period_two_differs() {
    let plain = train("plain", &[]);
    let one = train("k1", &["--comm-period", "1"]);
    assert_eq!((bits(&plain.u), bits(&plain.z), bits(&plain.v)), (bits(&one.u), bits(&one.z), bits(&one.v)));
    // Control: the same comparison flags k = 2.
    let two = train("k2", &["--comm-period", "2"]);
    assert_ne!(bits(&plain.z), bits(&two.z), "--comm-period 2 ran Algorithm 1");
    assert_ne!(bits(&plain.u), bits(&two.u));
    assert_eq!(two.header.config.comm_period, 2);
}

#[test]
fn bad_periods_are_refused_naming_the_value() {
    for (args, want) in [
        (vec!["--comm-period", "0"], "--comm-period 0"),
        (vec!["--potential", "msgd", "--comm-period", "3"], "--comm-period 3"),
    ] {
        let out = std::env::temp_dir().join(format!("infconv-comm-period-{}-bad", std::process::id()));
        let o = Command::new(env!("CARGO_BIN_EXE_infconv")).arg("train").args(&args).arg("--out").arg(&out).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
        assert!(!out.exists(), "a refused run wrote {}", out.display());
    }
}
