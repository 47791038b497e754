#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/fuzz_<name>.cpp)
into tests/fuzz/corpus/<name>/: small valid files and near-valid ones
(truncated, one field off). Run with Debian's /usr/bin/python3 (torch 1.13):

    /usr/bin/python3 tests/fuzz/make_seeds.py

The output is committed; keep it small (the whole corpus well under 1 MB).
Deterministic: the same torch version writes the same bytes."""
import collections
import gzip
import io
import json
import os
import pickle
import shutil
import struct
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def reset(name):
    d = os.path.join(CORPUS, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def variants(d, name, data):
    """The file, plus a truncated copy and one with a byte flipped mid-way."""
    put(d, name, data)
    put(d, name + ".trunc", data[: len(data) * 2 // 3])
    b = bytearray(data)
    b[len(b) // 2] ^= 0xFF
    put(d, name + ".flip", bytes(b))


torch.manual_seed(0)

# -- safetensors (written by hand: the format is a length, JSON, raw bytes) --
ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
             torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def safetensors(tensors, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        flat = t.contiguous().reshape(-1)
        raw = b""
        if t.dtype == torch.bool:
            raw = flat.to(torch.uint8).numpy().tobytes()
        elif t.numel():
            raw = flat.view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


d = reset("safetensors")
variants(d, "small", safetensors({"w": torch.randn(2, 3), "b": torch.arange(3, dtype=torch.int64)},
                                 {"format": "pt"}))
put(d, "dtypes", safetensors({"f16": torch.randn(2).half(), "bf16": torch.randn(2).bfloat16(),
                              "f64": torch.randn(1).double(), "i32": torch.tensor([1, -2], dtype=torch.int32),
                              "i16": torch.tensor([3], dtype=torch.int16), "i8": torch.tensor([-4], dtype=torch.int8),
                              "u8": torch.tensor([250], dtype=torch.uint8), "bool": torch.tensor([True, False])}))
put(d, "empty_tensor", safetensors({"e": torch.zeros(0, 4), "s": torch.tensor(1.5)}))
put(d, "empty", safetensors({}))
put(d, "overlap", b"\x40\x00\x00\x00\x00\x00\x00\x00" +
    b'{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}'[:64].ljust(64) + b"abc")
put(d, "huge_shape", safetensors({"w": torch.zeros(1)}).replace(b"[1]", b"[9223372036854775807]", 1))
put(d, "header_past_end", struct.pack("<Q", 1 << 20) + b"{}")

# -- torch.save: zip and legacy ---------------------------------------------
def saved(obj, legacy=False, protocol=2):
    buf = io.BytesIO()
    torch.save(obj, buf, pickle_protocol=protocol, _use_new_zipfile_serialization=not legacy)
    return buf.getvalue()


base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
state = collections.OrderedDict([
    ("conv.weight", torch.randn(2, 1, 2, 2)),
    ("conv.bias", torch.nn.Parameter(torch.zeros(2))),
    ("bn.num_batches_tracked", torch.tensor(3)),
    ("view.t", base.t()),           # non-contiguous view
    ("view.row", base[1]),          # storage offset
    ("half", torch.randn(3).half()),
])
checkpoint = {"model": state, "epoch": 3, "names": ["a", "b"], "lr": 0.1, "opt": None}

d = reset("torchcheckpoint")
for proto in (2, 4):
    variants(d, "state_zip_p%d" % proto, saved(state, protocol=proto))
    variants(d, "state_legacy_p%d" % proto, saved(state, legacy=True, protocol=proto))
put(d, "checkpoint_zip", saved(checkpoint))
put(d, "checkpoint_legacy", saved(checkpoint, legacy=True))
put(d, "tiny_zip", saved({"x": torch.tensor([1.0])}))
put(d, "tiny_legacy", saved({"x": torch.tensor([1.0])}, legacy=True))
put(d, "list_zip", saved([torch.ones(2), torch.zeros(1, dtype=torch.int64)]))

# -- raw pickles (the unpickler alone) ---------------------------------------
d = reset("unpickler")
objs = {
    "dict": {"a": 1, "b": [1.5, "x", None, True], "c": (1, 2), "big": 2 ** 70, "neg": -(2 ** 40)},
    "nested": [[[1]], {"k": {"k": {}}}, set([1, 2]), frozenset(), b"bytes", bytearray(b"ba")],
    "ordered": collections.OrderedDict([("x", 1), ("y", "z" * 40)]),
    "shared": (lambda l: [l, l, {"again": l}])([1, 2]),
    "floats": [0.0, -1e308, float("inf"), 1.0 / 3],
}
for name, obj in objs.items():
    for proto in range(0, 6):
        put(d, "%s_p%d" % (name, proto), pickle.dumps(obj, protocol=proto))
with zipfile.ZipFile(io.BytesIO(saved(state))) as z:
    for info in z.infolist():
        if info.filename.endswith("data.pkl"):
            put(d, "torch_data_pkl", z.read(info))
put(d, "legacy_head", saved({"x": torch.tensor([1.0])}, legacy=True)[:400])
put(d, "forbidden_global", b"cos\nsystem\n(S'echo hi'\ntR.")

# -- zip archives ------------------------------------------------------------
d = reset("zipreader")
put(d, "torch_zip", saved({"x": torch.tensor([1.0, 2.0])}))
for name, kw in (("stored", {}), ("zip64", {"force_zip64": True})):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(3):
            with z.open("archive/data/%d" % i, "w", **kw) as f:
                f.write(bytes(range(i * 7, i * 7 + 13)))
        z.comment = b"comment"
    variants(d, name, buf.getvalue())
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("deflated", b"x" * 100)
put(d, "deflated", buf.getvalue())

# -- IDX: flags u8, images length u32, images, labels length u32, labels, classes.txt
def idx(magic, dims, payload):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", x) for x in dims) + payload


def idx_input(images, labels, flags=0, classes=b""):
    return (bytes([flags]) + struct.pack("<I", len(images)) + images +
            struct.pack("<I", len(labels)) + labels + classes)


d = reset("idx")
imgs = idx(0x803, [3, 4, 5], bytes(range(60)))
labs = idx(0x801, [3], bytes([0, 2, 1]))
put(d, "plain", idx_input(imgs, labs))
put(d, "classes", idx_input(imgs, labs, 1, b"zero\ntwo\none\n"))
put(d, "too_few_classes", idx_input(imgs, labs, 1, b"zero\n"))
put(d, "gzip", idx_input(gzip.compress(imgs, mtime=0), gzip.compress(labs, mtime=0), 2))
put(d, "gzip_trunc", idx_input(gzip.compress(imgs, mtime=0)[:-9], labs))
put(d, "count_mismatch", idx_input(imgs, idx(0x801, [2], bytes([0, 1]))))
put(d, "dims_huge", idx_input(idx(0x803, [0xFFFFFFFF, 0xFFFFFFFF, 4], b""), labs))
put(d, "swapped", idx_input(labs, imgs))

# -- CIFAR-10: flags u8, meta length u32, batches.meta.txt, data_batch_1.bin
def cifar_input(records, flags=0, meta=b""):
    return bytes([flags]) + struct.pack("<I", len(meta)) + meta + records


rec = lambda label, v: bytes([label]) + bytes([v]) * 3072
d = reset("cifar")
names = b"".join(n + b"\n" for n in (b"airplane", b"automobile", b"bird", b"cat", b"deer",
                                     b"dog", b"frog", b"horse", b"ship", b"truck"))
put(d, "two", cifar_input(rec(0, 1) + rec(9, 2)))
put(d, "meta_folder", cifar_input(rec(3, 7), 3, names))
put(d, "bad_label", cifar_input(rec(10, 0)))
put(d, "short", cifar_input(rec(1, 0)[:-1]))
put(d, "meta_short", cifar_input(rec(5, 0), 1, b"a\nb\n"))

# -- project files -------------------------------------------------------------
project = {
    "format": "finetune-studio-project", "version": 1,
    "model": {"arch": "resnet18", "weights": "weights/r18.safetensors", "freeze": "backbone"},
    "data": {"train": "data/train", "validation": "", "valSplit": 0.2, "imageSize": 224,
             "augment": "light"},
    "training": {"epochs": 5, "batchSize": 32, "lr": 0.001, "backboneLrScale": 0.1,
                 "optimizer": "adamw", "momentum": 0.9, "nesterov": False, "weightDecay": 0.0001,
                 "scheduler": "cosine", "warmupEpochs": 1, "stepSize": 0, "stepGamma": 0.1,
                 "seed": "18446744073709551615", "samplePredictions": 16},
    "machine": {"device": "cpu", "threads": 0, "loaderWorkers": 2},
    "output": {"runsDirectory": "runs"},
}
d = reset("projectfile")
put(d, "full", json.dumps(project, indent=4).encode())
put(d, "minimal", b'{"version": 1}')
put(d, "newer", b'{"format": "finetune-studio-project", "version": 2}')
bad = json.loads(json.dumps(project))
bad["training"]["lr"] = -1
put(d, "bad_lr", json.dumps(bad).encode())
bad = json.loads(json.dumps(project))
bad["machine"]["device"] = "cuda:99"
put(d, "device", json.dumps(bad).encode())
put(d, "truncated", json.dumps(project).encode()[:200])
put(d, "not_object", b"[1, 2, 3]")

total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(CORPUS) for f in fs)
print("seed corpus: %d bytes" % total)
