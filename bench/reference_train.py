#!/usr/bin/python3
"""The reference that bench/speed.sh measures the engine against: the
fine-tuning loop the PyTorch tutorials teach, with Debian's python3-torch and
python3-torchvision.

    torchvision ImageFolder + DataLoader (worker processes, shuffle) +
    resnet18 with a new fc (backbone frozen, or nothing frozen) + Adam,
    validation after every epoch.

One deliberate difference from the most naive tutorial: with a frozen
backbone its BatchNorm layers are kept in eval mode (running statistics
fixed), as the engine does; otherwise "frozen" layers would still change and
the two sides would not train the same model. The cost per image is the same.

    reference_train.py --data DIR --weights INIT.pth --freeze backbone|none
        --epochs N --batch-size B --threads T [--workers W] [--augment none|light]
        [--lr F] [--image-size S] [--seed N] [--json OUT]
    reference_train.py --make-init INIT.pth --data DIR [--seed N]

--make-init writes the shared starting point: a resnet18 with a new 3-class
fc, random-initialised from --seed (no ImageNet weights offline), its
BatchNorm running statistics measured on 128 training images so the frozen
features are well scaled; saved as a plain dict state dict that
`finetune-cli train --weights` reads too, so both sides start identical.
"""
import argparse
import json
import os
import time

START = time.monotonic()

import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402
from torchvision import transforms  # noqa: E402

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def eval_transform(size):
    return transforms.Compose([
        transforms.Resize(round(size / 0.875)),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])


def train_transform(size, augment):
    if augment == "none":
        return eval_transform(size)
    # The engine's "light": RandomResizedCrop(scale 0.5-1) + horizontal flip.
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.5, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])


def new_model(classes):
    model = torchvision.models.resnet18()
    model.fc = nn.Linear(model.fc.in_features, classes)
    return model


def make_init(args):
    torch.manual_seed(args.seed)
    data = torchvision.datasets.ImageFolder(os.path.join(args.data, "train"),
                                            eval_transform(args.image_size))
    model = new_model(len(data.classes))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the calibration batches
    loader = torch.utils.data.DataLoader(data, batch_size=32, shuffle=True,
                                         generator=torch.Generator().manual_seed(args.seed))
    model.train()
    with torch.no_grad():
        for i, (x, _) in enumerate(loader):
            if i == 4:
                break
            model(x)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1
    torch.save(dict(model.state_dict()), args.make_init)


def run(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_data = torchvision.datasets.ImageFolder(os.path.join(args.data, "train"),
                                                  train_transform(args.image_size, args.augment))
    val_data = torchvision.datasets.ImageFolder(os.path.join(args.data, "val"),
                                                eval_transform(args.image_size))
    train_loader = torch.utils.data.DataLoader(train_data, batch_size=args.batch_size,
                                               shuffle=True, num_workers=args.workers)
    val_loader = torch.utils.data.DataLoader(val_data, batch_size=args.batch_size,
                                             shuffle=False, num_workers=args.workers)

    model = new_model(len(train_data.classes))
    model.load_state_dict(torch.load(args.weights))
    frozen = args.freeze == "backbone"
    if frozen:
        for p in model.parameters():
            p.requires_grad = False
        for p in model.fc.parameters():
            p.requires_grad = True
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    criterion = nn.CrossEntropyLoss()

    train_seconds = 0.0
    seen = 0
    accuracies = []
    for epoch in range(args.epochs):
        t0 = time.monotonic()
        model.train()
        if frozen:  # frozen BatchNorm keeps its statistics, as in the engine
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()
        loss_sum = 0.0
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * labels.size(0)
            seen += labels.size(0)
        t1 = time.monotonic()
        train_seconds += t1 - t0
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images).argmax(1) == labels).sum().item()
                total += labels.size(0)
        accuracies.append(correct / total)
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {loss_sum / len(train_data):.4f}, "
              f"val accuracy {accuracies[-1]:.3f}, train {t1 - t0:.1f} s, "
              f"val {time.monotonic() - t1:.1f} s", flush=True)

    result = {
        "wall_seconds": time.monotonic() - START,
        "train_seconds": train_seconds,
        "train_images": len(train_data),
        "val_images": len(val_data),
        "images_per_second": seen / train_seconds if train_seconds > 0 else 0.0,
        "final_val_accuracy": accuracies[-1],
        "best_val_accuracy": max(accuracies),
        "threads": torch.get_num_threads(),
        "workers": args.workers,
    }
    print(json.dumps(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--make-init")
    ap.add_argument("--weights")
    ap.add_argument("--freeze", choices=["backbone", "none"], default="backbone")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--augment", choices=["none", "light"], default="none")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--image-size", type=int, default=224)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.workers is None:
        args.workers = args.threads
    if args.make_init:
        make_init(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
