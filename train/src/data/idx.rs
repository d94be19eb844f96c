//! IDX files of unsigned bytes (the MNIST format; LeCun et al., <http://yann.lecun.com/exdb/mnist/>):
//! a big-endian header `0x00 0x00 0x08 ndim` (type 0x08 = unsigned byte), `ndim` big-endian `u32`
//! dimensions, then the bytes in row-major order. Images are 3-D (`0x00000803`: count, rows,
//! cols), labels 1-D (`0x00000801`: count). A file starting with the gzip magic `1f 8b` is
//! decompressed first, whatever its name.
//!
//! Reading validates everything: the magic, the dimensions (rows, cols ≥ 1, no overflow) and the
//! exact length (a truncated file and trailing bytes are both errors). Every error is a
//! [`DataError`] naming the file.
//!
//! ```
//! use infconv_train::data::idx;
//! let file = idx::encode_images(&[0, 255, 7, 8], 1, 2, 2).unwrap();
//! let back = idx::decode_images(&file, std::path::Path::new("<memory>")).unwrap();
//! assert_eq!((back.count, back.rows, back.cols), (1, 2, 2));
//! assert_eq!(back.pixels, vec![0, 255, 7, 8]);
//! ```

use crate::error::TrainError;
use super::error::DataError;
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::Path;

/// Magic number of an IDX file of unsigned-byte images (3 dimensions).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned-byte labels (1 dimension).
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// The first two bytes of a gzip stream (RFC 1952, §2.3.1).
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The content of an IDX image file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Images {
    pub count: usize,
    pub rows: usize,
    pub cols: usize,
    /// `count × rows × cols` bytes, row-major.
    pub pixels: Vec<u8>,
}

/// Reads an IDX image file (plain or gzip).
pub fn read_images(path: &Path) -> Result<Images, DataError> {
    decode_images(&read_file(path)?, path)
}

/// Reads an IDX label file (plain or gzip). Labels are not range-checked here (see
/// [`crate::data::Dataset::new`]).
pub fn read_labels(path: &Path) -> Result<Vec<u8>, DataError> {
    decode_labels(&read_file(path)?, path)
}

/// Decodes the bytes of an IDX image file (plain or gzip); `path` only names it in errors.
pub fn decode_images(bytes: &[u8], path: &Path) -> Result<Images, DataError> {
    let (dims, pixels) = decode(bytes, path, IMAGES_MAGIC, "unsigned-byte images, 3 dimensions")?;
    let (count, rows, cols) = (dims[0], dims[1], dims[2]);
    Ok(Images { count, rows, cols, pixels })
}

/// Decodes the bytes of an IDX label file (plain or gzip); `path` only names it in errors.
pub fn decode_labels(bytes: &[u8], path: &Path) -> Result<Vec<u8>, DataError> {
    Ok(decode(bytes, path, LABELS_MAGIC, "unsigned-byte labels, 1 dimension")?.1)
}

/// `true` when `bytes` start with the gzip magic.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

fn read_file(path: &Path) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DataError::Missing { path: path.to_path_buf() },
        _ => DataError::Io { path: path.to_path_buf(), source: e },
    })
}

/// Reads up to `n` bytes; fewer only at the end of the stream.
fn read_up_to(r: &mut impl Read, n: u64, path: &Path, gz: bool) -> Result<Vec<u8>, DataError> {
    let mut out = Vec::new();
    r.take(n).read_to_end(&mut out).map_err(|e| stream_error(e, path, gz))?;
    Ok(out)
}

fn stream_error(e: std::io::Error, path: &Path, gz: bool) -> DataError {
    if gz {
        DataError::malformed(path, "a complete, valid gzip stream", format!("a gzip error ({e})"))
    } else {
        DataError::Io { path: path.to_path_buf(), source: e }
    }
}

fn decode(bytes: &[u8], path: &Path, magic: u32, what: &str) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let gz = is_gzip(bytes);
    let mut reader: Box<dyn Read + '_> = if gz { Box::new(MultiGzDecoder::new(bytes)) } else { Box::new(bytes) };
    let ndim = (magic & 0xff) as usize;
    let header_len = 4 + 4 * ndim;
    let header = read_up_to(&mut reader, header_len as u64, path, gz)?;
    if header.len() < 4 {
        return Err(DataError::malformed(path, format!("an IDX header starting with magic {magic:#010x} ({what})"), format!("{} bytes", header.len())));
    }
    let found = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    if found != magic {
        let hint = match found {
            IMAGES_MAGIC => " (an image file)",
            LABELS_MAGIC => " (a label file)",
            _ => "",
        };
        return Err(DataError::malformed(path, format!("magic {magic:#010x} ({what})"), format!("{found:#010x}{hint}")));
    }
    if header.len() < header_len {
        return Err(DataError::malformed(path, format!("a {header_len}-byte header ({ndim} dimensions)"), format!("{} bytes", header.len())));
    }
    let dims: Vec<usize> = header[4..].chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    if dims.iter().skip(1).any(|&d| d == 0) {
        return Err(DataError::malformed(path, "rows ≥ 1 and columns ≥ 1", format!("dimensions {dims:?}")));
    }
    let body = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .filter(|&n| n <= isize::MAX as u64)
        .ok_or_else(|| DataError::malformed(path, "dimensions whose product fits in memory", format!("dimensions {dims:?}")))?;
    if !gz && (bytes.len() as u64) < header_len as u64 + body {
        // Plain file: the length is known before reading; a short file is reported without
        // allocating a buffer of the declared size.
        return Err(truncated(path, &dims, header_len, body, bytes.len() as u64 - header_len as u64));
    }
    let data = read_up_to(&mut reader, body, path, gz)?;
    if (data.len() as u64) < body {
        return Err(truncated(path, &dims, header_len, body, data.len() as u64));
    }
    let extra = read_up_to(&mut reader, 1, path, gz)?;
    if !extra.is_empty() {
        return Err(DataError::malformed(
            path,
            format!("exactly {body} data bytes after the {header_len}-byte header (dimensions {dims:?})"),
            "trailing bytes after them",
        ));
    }
    Ok((dims, data))
}

fn truncated(path: &Path, dims: &[usize], header_len: usize, body: u64, got: u64) -> DataError {
    DataError::malformed(
        path,
        format!("{body} data bytes after the {header_len}-byte header (dimensions {dims:?})"),
        format!("{got} (the file is truncated)"),
    )
}

/// Encodes images as an IDX file (plain). Fails when `pixels.len() ≠ count·rows·cols`, when a
/// dimension does not fit in `u32`, or when rows or cols is 0.
pub fn encode_images(pixels: &[u8], count: usize, rows: usize, cols: usize) -> Result<Vec<u8>, TrainError> {
    if rows == 0 || cols == 0 {
        return Err(format!("rows {rows}, cols {cols}: expected both ≥ 1").into());
    }
    let n = count.checked_mul(rows).and_then(|x| x.checked_mul(cols));
    if n != Some(pixels.len()) {
        return Err(format!("{} pixels for {count}×{rows}×{cols} images: expected count·rows·cols", pixels.len()).into());
    }
    encode(IMAGES_MAGIC, &[count, rows, cols], pixels)
}

/// Encodes labels as an IDX file (plain).
pub fn encode_labels(labels: &[u8]) -> Result<Vec<u8>, TrainError> {
    encode(LABELS_MAGIC, &[labels.len()], labels)
}

fn encode(magic: u32, dims: &[usize], data: &[u8]) -> Result<Vec<u8>, TrainError> {
    let mut out = Vec::with_capacity(4 + 4 * dims.len() + data.len());
    out.extend_from_slice(&magic.to_be_bytes());
    for &d in dims {
        let d = u32::try_from(d).map_err(|_| format!("dimension {d} does not fit in the u32 of an IDX header"))?;
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    Ok(out)
}

/// Gzip-compresses `bytes` (level 9, no name, mtime 0: deterministic for a given flate2 build).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("mem.idx")
    }

    #[test]
    fn round_trip_plain_and_gzip() {
        let pixels: Vec<u8> = (0..2 * 3 * 4).map(|i| (i * 11) as u8).collect();
        let file = encode_images(&pixels, 2, 3, 4).unwrap();
        assert_eq!(file.len(), 16 + 24);
        for bytes in [file.clone(), gzip(&file)] {
            let im = decode_images(&bytes, p()).unwrap();
            assert_eq!((im.count, im.rows, im.cols, &im.pixels), (2, 3, 4, &pixels));
        }
        let labels = encode_labels(&[3, 1, 4]).unwrap();
        assert_eq!(decode_labels(&gzip(&labels), p()).unwrap(), vec![3, 1, 4]);
    }

    #[test]
    fn header_is_big_endian() {
        // Written out by hand from the format description, not by the encoder.
        let file = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 9, 10];
        let im = decode_images(&file, p()).unwrap();
        assert_eq!((im.count, im.rows, im.cols, im.pixels), (1, 1, 2, vec![9, 10]));
        // Negative control: the same header little-endian is rejected as a bad magic.
        let le = [3, 8, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 9, 10];
        assert!(matches!(decode_images(&le, p()), Err(DataError::Malformed { .. })));
    }

    fn message(r: Result<impl std::fmt::Debug, DataError>) -> String {
        let e = r.expect_err("a malformed file must be an error");
        assert_eq!(e.path(), Some(p()), "{e}");
        e.to_string()
    }

    #[test]
    fn malformed_headers_are_typed_errors_naming_the_file() {
        let good = encode_images(&[1, 2, 3, 4], 1, 2, 2).unwrap();
        assert!(message(decode_images(&good[..2], p())).contains("magic 0x00000803"));
        let mut bad = good.clone();
        bad[3] = 1;
        assert!(message(decode_images(&bad, p())).contains("0x00000801 (a label file)"));
        assert!(message(decode_images(&good[..10], p())).contains("16-byte header"));
        let mut zero = good.clone();
        zero[11] = 0; // rows = 0
        assert!(message(decode_images(&zero, p())).contains("rows ≥ 1"));
        let huge = [0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert!(message(decode_images(&gzip(&huge), p())).contains("fits in memory"));
        // 4 GiB declared, nothing there: reported as truncated without allocating the buffer.
        let big = [0, 0, 8, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0];
        assert!(message(decode_images(&gzip(&big), p())).contains("truncated"));
        assert!(message(decode_images(&big, p())).contains("truncated"));
        assert!(message(decode_images(&good[..good.len() - 1], p())).contains("truncated"));
        assert!(message(decode_images(&gzip(&good[..good.len() - 1]), p())).contains("truncated"));
        let mut long = good.clone();
        long.push(0);
        assert!(message(decode_images(&long, p())).contains("trailing bytes"));
        let gz = gzip(&good);
        assert!(message(decode_images(&gz[..gz.len() - 5], p())).contains("gzip"));
        assert!(message(decode_labels(&good, p())).contains("0x00000803 (an image file)"));
    }

    #[test]
    fn encoder_rejects_inconsistent_shapes() {
        assert!(encode_images(&[0; 5], 1, 2, 2).is_err());
        assert!(encode_images(&[], 0, 0, 2).is_err());
        assert!(encode_images(&[], 0, 2, 2).is_ok());
    }
}
