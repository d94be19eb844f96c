//! The `infconv verify` contract of docs/checks.md: JSON records, exit status, filters and
//! clear errors for bad input.

use std::process::Command;

fn infconv(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_infconv")).args(args).output().expect("the infconv binary runs")
}

#[test]
fn verify_json_carries_every_potential_check_and_exits_zero() {
    let out = infconv(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let records: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    let records = records.as_array().expect("an array");
    for name in ["quad", "quad-Q", "cubic", "cubic-reg", "tan", "tan-sep", "log", "log-sep", "eta-log", "layered-tan"] {
        for check in ["A1", "A2", "A3", "A4", "A5", "L3.2"] {
            let r = records
                .iter()
                .find(|r| r["check"] == check && r["potential"] == name)
                .unwrap_or_else(|| panic!("no record for {check} {name}"));
            for field in ["check", "potential", "family", "cases", "verdict", "expected", "worst", "tol", "seed", "note"] {
                assert!(r.get(field).is_some(), "{check} {name} lacks {field}");
            }
            assert_eq!(r["verdict"], r["expected"], "{r}");
        }
    }
    let cubic_a3 = records.iter().find(|r| r["check"] == "A3" && r["potential"] == "cubic").unwrap();
    assert_eq!(cubic_a3["verdict"], "violated");
    assert_eq!(cubic_a3["family"], serde_json::Value::Null);
}

#[test]
fn filters_select_records() {
    let out = infconv(&["verify", "--json", "--check", "A2", "--potential", "entropy-box"]);
    assert_eq!(out.status.code(), Some(0));
    let records: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["verdict"], "violated");
    assert_eq!(records[0]["expected"], "violated");
}

#[test]
fn the_table_is_the_default() {
    let out = infconv(&["verify", "--potential", "cubic", "--check", "A3"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("check") && text.contains("expected"), "{text}");
    assert!(text.contains("1 records: 1 as expected, 0 unexpected (seed 42)"), "{text}");
}

#[test]
fn unknown_names_are_errors_that_list_the_known_ones() {
    for (flag, value, listed) in [
        ("--potential", "logg", "log-sep"),
        ("--check", "A9", "L3.2"),
        ("--family", "nope", "known families"),
    ] {
        let out = infconv(&["verify", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(value) && err.contains(listed), "{flag} {value}: {err}");
        assert!(out.stdout.is_empty(), "nothing half-written on stdout");
    }
}

#[test]
fn bad_flags_and_values_exit_nonzero() {
    assert_ne!(infconv(&["verify", "--bogus"]).status.code(), Some(0));
    assert_ne!(infconv(&["verify", "--seed", "minus-one"]).status.code(), Some(0));
    let out = infconv(&["verify", "--dims", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dims"));
}

#[test]
fn out_writes_a_report_and_refuses_foreign_folders() {
    let base = std::env::temp_dir().join(format!("infconv-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let dir = base.join("report");
    let out = infconv(&["verify", "--check", "A5", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("tilted-quad") && md.contains("Replay: `infconv verify --check A5"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("records.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 15);
    // An earlier report is replaced; a foreign folder is refused before any work, untouched.
    assert_eq!(infconv(&["verify", "--check", "A5", "--out", dir.to_str().unwrap()]).status.code(), Some(0));
    let foreign = base.join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    let out = infconv(&["verify", "--check", "A5", "--out", foreign.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "refused before any work");
    assert!(String::from_utf8_lossy(&out.stderr).contains("foreign"));
    assert_eq!(std::fs::read_to_string(foreign.join("keep.txt")).unwrap(), "mine");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn prox_accepts_negative_coordinates_and_rejects_a_negative_lambda() {
    let out = infconv(&["prox", "--potential", "log", "--family", "smooth-nonconvex", "--v", "-0.3,0.2", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v.to_string().contains("-0.3"), "{v}");
    let out = infconv(&["prox", "--potential", "log", "--family", "smooth-nonconvex", "--lambda", "-1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--lambda -1") && err.contains("λ > 0"), "{err}");
    assert!(out.stdout.is_empty());
}

/// `infconv prox` names the bad value and lists what is accepted, with exit status 2; good input
/// exits 0 (a two-valued prox included: the oracle lists both points).
#[test]
fn prox_bad_input_is_named_and_good_input_runs() {
    let prox = |p: &str, fam: &str, v: &str, lambda: &str, extra: &[&str]| {
        let mut a = vec!["prox", "--json", "--potential", p, "--family", fam, "--v", v, "--lambda", lambda, "--seed", "1"];
        a.extend_from_slice(extra);
        let o = infconv(&a);
        (o.status.code(), String::from_utf8_lossy(&o.stderr).to_string())
    };
    let (code, e) = prox("logg", "mcp", "0.1", "0.1", &[]);
    assert!(code == Some(2) && e.contains("logg") && e.contains("tan-sep"), "{e}");
    let (code, e) = prox("log", "mcpp", "0.1", "0.1", &[]);
    assert!(code == Some(2) && e.contains("mcpp") && e.contains("l1-smooth"), "{e}");
    let (code, e) = prox("log", "mcp", "0.1", "-2", &[]);
    assert!(code == Some(2) && e.contains("-2"), "{e}");
    let (code, e) = prox("log", "mcp", "0.1,x", "0.1", &[]);
    assert!(code == Some(2) && e.contains("0.1,x"), "{e}");
    assert_eq!(prox("log", "mcp", "0.1,-0.2", "0.1", &[]).0, Some(0));
    assert_eq!(prox("quad", "neg-abs", "0", "0.1", &[]).0, Some(0));
    assert_eq!(prox("quad", "indefinite-quadratic", "0.3", "0.1", &["--sweep-lambda"]).0, Some(0));
    let (code, e) = prox("quad", "indefinite-quadratic", "0.3", "0.1", &["--sweep-lambda", "--lambda-min", "2", "--lambda-max", "1"]);
    assert!(code == Some(2) && e.contains("invalid λ range"), "{e}");
}
