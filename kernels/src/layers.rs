//! Layer tables of equation (18): the parameter vector is cut into consecutive layers l = 1..L and
//! φ̂(w) = Σₗ φ(wₗ/η). Each weight tensor and each bias is one layer (fixed choice, see
//! docs/training.md); the default is the Caffe LeNet-5 table with 431,080 parameters.

use crate::error::{KernelError, Result};

/// Number of parameters of the Caffe LeNet-5 (the paper's "LeNet size").
pub const LENET5_PARAMS: usize = 431_080;

/// The Caffe LeNet-5 table: (name, size) of every weight tensor and bias.
pub const LENET5: [(&str, usize); 8] = [
    ("conv1.w", 20 * 5 * 5),
    ("conv1.b", 20),
    ("conv2.w", 50 * 20 * 5 * 5),
    ("conv2.b", 50),
    ("fc1.w", 800 * 500),
    ("fc1.b", 500),
    ("fc2.w", 500 * 10),
    ("fc2.b", 10),
];

/// A contiguous piece of one layer: the unit of work of every kernel (reductions produce one
/// partial sum per tile and worker, element-wise passes know their layer from the tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    /// The layer the tile belongs to.
    pub layer: usize,
    /// First element (inclusive).
    pub start: usize,
    /// Last element (exclusive).
    pub end: usize,
}

/// Consecutive layer sizes, all positive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerTable {
    sizes: Vec<usize>,
    offsets: Vec<usize>,
}

impl LayerTable {
    /// A table of positive sizes (at least one layer).
    pub fn new(sizes: Vec<usize>) -> Result<Self> {
        if sizes.is_empty() || sizes.contains(&0) {
            return Err(KernelError::InvalidParameter {
                name: "layer table",
                value: format!("{sizes:?}"),
                expected: "a non-empty list of positive layer sizes",
            });
        }
        let mut offsets = Vec::with_capacity(sizes.len() + 1);
        let mut acc = 0usize;
        offsets.push(0);
        for &s in &sizes {
            acc = acc.checked_add(s).ok_or(KernelError::InvalidParameter {
                name: "layer table",
                value: "sizes whose sum overflows".into(),
                expected: "a total size that fits in usize",
            })?;
            offsets.push(acc);
        }
        Ok(LayerTable { sizes, offsets })
    }

    /// The Caffe LeNet-5 table (431,080 parameters, 8 layers).
    pub fn lenet5() -> Self {
        LayerTable::new(LENET5.iter().map(|&(_, s)| s).collect()).expect("LeNet-5 sizes are positive")
    }

    /// One layer of size n (n ≥ 1).
    pub fn single(n: usize) -> Result<Self> {
        LayerTable::new(vec![n])
    }

    /// The total number of parameters n.
    pub fn len(&self) -> usize {
        *self.offsets.last().expect("offsets are non-empty")
    }

    /// Never true (a table has at least one layer of positive size).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The number of layers L.
    pub fn num_layers(&self) -> usize {
        self.sizes.len()
    }

    /// The layer sizes.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Offsets: layer l occupies `offsets[l]..offsets[l + 1]`.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The elements of layer l.
    pub fn range(&self, l: usize) -> std::ops::Range<usize> {
        self.offsets[l]..self.offsets[l + 1]
    }

    /// The layer that holds element i (i < n).
    pub fn layer_of(&self, i: usize) -> usize {
        self.offsets.partition_point(|&o| o <= i) - 1
    }

    /// Cuts every layer into tiles of at most `max_tile` elements (in order; tiles of one layer are
    /// consecutive).
    pub fn tiles(&self, max_tile: usize) -> Vec<Tile> {
        let max_tile = max_tile.max(1);
        let mut out = Vec::new();
        for l in 0..self.num_layers() {
            let r = self.range(l);
            let mut s = r.start;
            while s < r.end {
                let e = (s + max_tile).min(r.end);
                out.push(Tile { layer: l, start: s, end: e });
                s = e;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenet5_has_431080_parameters() {
        let t = LayerTable::lenet5();
        assert_eq!(t.len(), LENET5_PARAMS);
        assert_eq!(t.num_layers(), 8);
        assert_eq!(t.range(4), 25_570..425_570);
    }

    #[test]
    fn empty_and_zero_layers_are_rejected() {
        assert!(matches!(LayerTable::new(vec![]), Err(KernelError::InvalidParameter { .. })));
        let e = LayerTable::new(vec![3, 0]).unwrap_err();
        assert!(e.to_string().contains("[3, 0]"), "{e}");
    }

    #[test]
    fn tiles_cover_every_layer_in_order() {
        let t = LayerTable::new(vec![5, 1, 9]).unwrap();
        let tiles = t.tiles(4);
        assert_eq!(tiles.iter().map(|t| t.end - t.start).sum::<usize>(), 15);
        for w in tiles.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert!(w[0].layer <= w[1].layer);
        }
        for i in 0..15 {
            let l = t.layer_of(i);
            assert!(t.range(l).contains(&i));
        }
    }
}
