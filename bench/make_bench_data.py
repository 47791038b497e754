#!/usr/bin/python3
"""Generates the speed benchmark's ImageFolder (bench/speed.sh calls it once and
caches the result under .cache/bench):

    DIR/train/<class>/NNN.jpg and DIR/val/<class>/NNN.jpg

COUNT JPEGs of SIZE x SIZE in 3 classes (80 % train, 20 % validation, the same
per class). Each class has its own colour cast and stripe texture (orientation
and period), drawn with random phase, period jitter, brightness and per-pixel
noise, so the classes are learnable but no two images are alike.

    make_bench_data.py DIR [--count 600] [--size 256] [--seed 0]
"""
import argparse
import os

import numpy as np
from PIL import Image

CLASSES = [
    # name, RGB cast, stripe angle (degrees), stripe period (pixels)
    ("amber_diagonal", (200, 120, 50), 45.0, 14.0),
    ("green_vertical", (70, 170, 80), 90.0, 22.0),
    ("blue_horizontal", (70, 100, 210), 0.0, 9.0),
]


def image(rng, size, cast, angle, period):
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    a = np.deg2rad(angle + rng.normal(0, 8))
    p = period * rng.uniform(0.8, 1.25)
    phase = rng.uniform(0, 2 * np.pi)
    wave = 0.5 + 0.5 * np.sin((x * np.cos(a) + y * np.sin(a)) * 2 * np.pi / p + phase)
    tint = np.array(cast, np.float32) * rng.uniform(0.75, 1.15)
    base = tint[None, None, :] * (0.55 + 0.45 * wave[..., None])
    pixels = base + rng.normal(0, 28, (size, size, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    per_class = args.count // len(CLASSES)
    val_per_class = per_class // 5
    for name, cast, angle, period in CLASSES:
        for split in ("train", "val"):
            os.makedirs(os.path.join(args.dir, split, name), exist_ok=True)
        for i in range(per_class):
            split = "val" if i < val_per_class else "train"
            path = os.path.join(args.dir, split, name, f"{i:05d}.jpg")
            image(rng, args.size, cast, angle, period).save(path, quality=90)


if __name__ == "__main__":
    main()
