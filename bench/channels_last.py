#!/usr/bin/python3
"""Why the engine trains in channels-last layout on the CPU: times inference
(no grad, eval) and training steps (forward + backward + Adam) of torchvision
models in the default NCHW layout and in channels-last, with Debian's torch
(the same LibTorch the engine links).

    bench/channels_last.py [--threads 2] [--batch-size 32] [MODEL...]
    (default models: resnet18 mobilenet_v2 mobilenet_v3_large efficientnet_b0)
"""
import argparse
import time

import torch
import torchvision


def images_per_second(model, x, y, train, steps):
    opt = torch.optim.Adam(model.parameters(), 1e-3)

    def step():
        if train:
            model.train()
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            loss.item()
        else:
            model.eval()
            with torch.no_grad():
                model(x)

    step()  # warm-up: oneDNN builds its kernels
    start = time.monotonic()
    for _ in range(steps):
        step()
    return x.size(0) * steps / (time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*",
                    default=["resnet18", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--steps", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    x = torch.randn(args.batch_size, 3, 224, 224)
    y = torch.randint(3, (args.batch_size,))
    xc = x.contiguous(memory_format=torch.channels_last)
    print(f"{'model':20}{'eval NCHW':>11}{'eval NHWC':>11}{'train NCHW':>12}{'train NHWC':>12}  images/s")
    for name in args.models:
        plain = getattr(torchvision.models, name)()
        nhwc = getattr(torchvision.models, name)().to(memory_format=torch.channels_last)
        e0 = images_per_second(plain, x, y, False, args.steps)
        e1 = images_per_second(nhwc, xc, y, False, args.steps)
        t0 = images_per_second(plain, x, y, True, args.steps)
        t1 = images_per_second(nhwc, xc, y, True, args.steps)
        print(f"{name:20}{e0:11.1f}{e1:11.1f}{t0:12.1f}{t1:12.1f}", flush=True)


if __name__ == "__main__":
    main()
