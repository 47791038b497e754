#!/usr/bin/env python3
"""Cut the bundled demo data out of Debian's Fashion-MNIST (dataset-fashion-mnist).

    tools/make_demo_data.py --demo resources/demo            # the shipped fine-tuning subset
    tools/make_demo_data.py --pretrain build/demo-pretrain   # the backbone's pretraining data

The demo fine-tunes on five classes (Sandal, Shirt, Sneaker, Bag, Ankle boot):
10 training images per class from Fashion-MNIST's training set and 150
validation images per class from its test set, drawn with a fixed seed. The
backbone is pretrained on the other five classes (T-shirt/top, Trouser,
Pullover, Dress, Coat): all their training images, and their test images for
validation. Output: IDX files (gzipped) plus classes.txt, which finetune-cli
reads directly. Only numpy and the standard library are needed.
"""
import argparse
import gzip
import os
import struct

import numpy as np

SRC = "/usr/share/datasets/fashion-mnist"
NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DEMO_CLASSES = [5, 6, 7, 8, 9]
PRETRAIN_CLASSES = [0, 1, 2, 3, 4]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx(path, array):
    header = struct.pack(">I", 0x800 + array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    # mtime=0: the same bytes on every run, so regenerated files diff cleanly.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def subset(images, labels, classes, per_class, rng):
    """Up to per_class images of each class (all when None), relabelled 0..k-1
    in the order of `classes`, interleaved by a seeded shuffle."""
    picked = []
    for new, old in enumerate(classes):
        idx = np.flatnonzero(labels == old)
        if per_class is not None:
            idx = rng.choice(idx, size=per_class, replace=False)
        picked += [(i, new) for i in sorted(idx)]
    order = rng.permutation(len(picked))
    idx = np.array([picked[o][0] for o in order])
    lab = np.array([picked[o][1] for o in order], dtype=np.uint8)
    return images[idx], lab


def write_set(out, prefix, images, labels):
    write_idx(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), images)
    write_idx(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), labels)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--demo", help="write the fine-tuning subset here")
    ap.add_argument("--pretrain", help="write the pretraining data here")
    ap.add_argument("--train-per-class", type=int, default=10)
    ap.add_argument("--val-per-class", type=int, default=150)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    train_x = read_idx(f"{SRC}/train-images-idx3-ubyte.gz")
    train_y = read_idx(f"{SRC}/train-labels-idx1-ubyte.gz")
    test_x = read_idx(f"{SRC}/t10k-images-idx3-ubyte.gz")
    test_y = read_idx(f"{SRC}/t10k-labels-idx1-ubyte.gz")
    rng = np.random.default_rng(args.seed)
    if args.demo:
        os.makedirs(args.demo, exist_ok=True)
        write_set(args.demo, "train", *subset(train_x, train_y, DEMO_CLASSES, args.train_per_class, rng))
        write_set(args.demo, "val", *subset(test_x, test_y, DEMO_CLASSES, args.val_per_class, rng))
        with open(os.path.join(args.demo, "classes.txt"), "w") as f:
            f.write("\n".join(NAMES[c] for c in DEMO_CLASSES) + "\n")
    if args.pretrain:
        os.makedirs(args.pretrain, exist_ok=True)
        write_set(args.pretrain, "train", *subset(train_x, train_y, PRETRAIN_CLASSES, None, rng))
        write_set(args.pretrain, "val", *subset(test_x, test_y, PRETRAIN_CLASSES, None, rng))
        with open(os.path.join(args.pretrain, "classes.txt"), "w") as f:
            f.write("\n".join(NAMES[c] for c in PRETRAIN_CLASSES) + "\n")


if __name__ == "__main__":
    main()
