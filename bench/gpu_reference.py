#!/usr/bin/env python3
"""The PyTorch side of bench/gpu_run.sh: synthetic CIFAR-10 files, and the same
ResNet-18 training workload as `finetune-cli train` on them, in plain PyTorch.

  gpu_reference.py make-data --out DIR [--images N] [--seed S]
      data_batch_1.bin (N records) and batches.meta.txt: ten classes, each a
      bright vertical band at its own position on noise (learnable, so the
      loss falls and accuracy means something).
  gpu_reference.py train --data DIR --device cuda|cpu --precision fp32|bf16
      [--image-size S] [--batch-size B] [--epochs E] [--val-split F] [--lr LR]
      [--channels-last auto|0|1] [--max-steps N]
      Trains a torchvision-layout ResNet-18 (defined here: torchvision is not
      part of the torch wheel) from random weights, as the engine does with
      --model resnet18 and no --weights, AdamW, no augmentation. The images
      are decoded once into a uint8 tensor on the device; each batch is
      resized there to S x S (bilinear) and normalised: the data pipeline
      costs next to nothing, so this is the compute-bound reference. Prints
      one JSON line: images_per_second over the training steps of all epochs
      (the engine's summary.json images_per_second counts the same way),
      the final training loss and the validation accuracy.

Needs only torch (no numpy, no torchvision).
"""
import argparse
import json
import os
import random
import sys
import time

RECORD = 1 + 3 * 32 * 32
CLASSES = ["band%d" % c for c in range(10)]


def make_data(out, images, seed):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    # Noise bytes 0..79 through a translation table (C speed, no numpy).
    table = bytes(b % 80 for b in range(256))
    bright = bytes([250] * 32)
    with open(os.path.join(out, "data_batch_1.bin"), "wb") as f:
        for i in range(images):
            label = i % 10
            x0 = 1 + 3 * label  # band columns x0 .. x0+3
            noise = rng.randbytes(3 * 1024).translate(table)
            record = bytearray([label])
            for plane in range(3):
                for y in range(32):
                    row = noise[plane * 1024 + y * 32: plane * 1024 + y * 32 + 32]
                    record += row[:x0] + bright[:4] + row[x0 + 4:]
            f.write(record)
    with open(os.path.join(out, "batches.meta.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    print(json.dumps({"data": out, "images": images}))


def resnet18(num_classes):
    import torch.nn as nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                                nn.BatchNorm2d(cout))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + identity)

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            widths = [64, 128, 256, 512]
            cin = 64
            for i, w in enumerate(widths):
                stride = 1 if i == 0 else 2
                setattr(self, "layer%d" % (i + 1),
                        nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w, 1)))
                cin = w
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(512, num_classes)
            for m in self.modules():  # torchvision's initialisation
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(self.avgpool(x).flatten(1))

    return ResNet18()


def train(args):
    import torch
    import torch.nn.functional as F

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        sys.exit("gpu_reference.py: --device %s but torch sees no CUDA GPU" % args.device)
    device = torch.device(args.device)
    if args.precision == "bf16" and device.type == "cuda" and \
            torch.cuda.get_device_capability(device)[0] < 8:
        sys.exit("gpu_reference.py: bf16 needs compute capability 8.0+")
    torch.manual_seed(args.seed)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # as the engine
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    raw = open(os.path.join(args.data, "data_batch_1.bin"), "rb").read()
    n = len(raw) // RECORD
    buf = torch.frombuffer(bytearray(raw[: n * RECORD]), dtype=torch.uint8).view(n, RECORD)
    labels = buf[:, 0].long()
    pixels = buf[:, 1:].reshape(n, 3, 32, 32)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(args.seed))
    n_val = max(1, int(round(n * args.val_split)))
    val_idx, train_idx = order[:n_val], order[n_val:]
    pixels, labels = pixels.to(device), labels.to(device)

    # As the engine's --channels-last choice: CPU always, CUDA for bf16 only.
    if args.channels_last == "auto":
        channels_last = device.type == "cpu" or args.precision == "bf16"
    else:
        channels_last = args.channels_last == "1"
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = resnet18(10).to(device).to(memory_format=fmt)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)
    use_bf16 = args.precision == "bf16"
    autocast_device = "cuda" if device.type == "cuda" else "cpu"

    def batch_of(idx):
        x = pixels[idx].float().div_(255)
        x = F.interpolate(x, size=(args.image_size, args.image_size), mode="bilinear",
                          align_corners=False, antialias=False)
        return ((x - mean) / std).contiguous(memory_format=fmt), labels[idx]

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    seen, seconds, steps, last_loss = 0, 0.0, 0, float("nan")
    for epoch in range(args.epochs):
        model.train()
        perm = train_idx[torch.randperm(len(train_idx),
                                        generator=torch.Generator().manual_seed(epoch))]
        sync()
        start = time.perf_counter()
        for b in range(0, len(perm), args.batch_size):
            x, y = batch_of(perm[b: b + args.batch_size].to(device))
            opt.zero_grad(set_to_none=True)
            with torch.autocast(autocast_device, dtype=torch.bfloat16, enabled=use_bf16):
                loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            last_loss = loss.item()  # the engine reads the loss every step too
            seen += y.numel()
            steps += 1
            if args.max_steps and steps >= args.max_steps:
                break
        sync()
        seconds += time.perf_counter() - start
        if args.max_steps and steps >= args.max_steps:
            break

    model.eval()
    correct = 0
    with torch.no_grad(), torch.autocast(autocast_device, dtype=torch.bfloat16,
                                         enabled=use_bf16):
        for b in range(0, len(val_idx), args.batch_size):
            x, y = batch_of(val_idx[b: b + args.batch_size].to(device))
            correct += (model(x).argmax(1) == y).sum().item()
    print(json.dumps({
        "torch": torch.__version__,
        "device": str(device) + (" " + torch.cuda.get_device_name(device)
                                 if device.type == "cuda" else ""),
        "precision": args.precision,
        "channels_last": channels_last,
        "images_per_second": seen / seconds if seconds > 0 else 0.0,
        "train_images": seen,
        "final_loss": last_loss,
        "val_accuracy": correct / len(val_idx),
    }))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("make-data")
    d.add_argument("--out", required=True)
    d.add_argument("--images", type=int, default=6400)
    d.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--device", default="cuda")
    t.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    t.add_argument("--image-size", type=int, default=224)
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--val-split", type=float, default=0.1)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=0)
    t.add_argument("--channels-last", choices=["auto", "0", "1"], default="auto")
    t.add_argument("--max-steps", type=int, default=0, help="stop after N steps (dry runs)")
    args = p.parse_args()
    if args.command == "make-data":
        make_data(args.out, args.images, args.seed)
    else:
        train(args)


if __name__ == "__main__":
    main()
