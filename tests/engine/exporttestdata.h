#pragma once

// Tiny generated images and a tiny trained run for the export tests
// (tst_exportinterop, tst_batchpredict): binary PPM/PGM files, which both the
// app (OpenCV) and Python (Pillow) decode exactly, and a one-epoch run of
// finetune-cli train on them.
#include "processrunner.h"

#include <QDir>
#include <QString>
#include <QtTest/QtTest>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace exporttest {

/// A noisy image whose brightness tells its class: class 0 dark, class 1
/// bright, class 2 a bright left half. `gray` writes PGM (P5), else PPM (P6).
inline void writeImage(const QString& file, int width, int height, int cls, unsigned seed,
                       bool gray = false) {
    QDir().mkpath(QFileInfo(file).absolutePath());
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(-40, 40);
    const int channels = gray ? 1 : 3;
    std::vector<std::uint8_t> pixels(std::size_t(width) * height * channels);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c) {
                int base = cls == 0 ? 60 : 190;
                if (cls == 2) base = x < width / 2 ? 200 : 50;
                if (!gray && c == 1) base = 255 - base / 2;  // some colour
                pixels[(std::size_t(y) * width + x) * channels + c] =
                    std::uint8_t(std::clamp(base + noise(rng), 0, 255));
            }
    std::ofstream out(file.toStdString(), std::ios::binary);
    out << (gray ? "P5\n" : "P6\n") << width << ' ' << height << "\n255\n";
    out.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
}

/// An ImageFolder root/{dark,bright,split}/NN.ppm of `perClass` images each.
inline void writeImageFolder(const QString& root, int perClass, int width, int height,
                             unsigned seed) {
    const char* names[] = {"bright", "dark", "split"};  // byte order = class index
    const int classOf[] = {1, 0, 2};
    for (int k = 0; k < 3; ++k)
        for (int i = 0; i < perClass; ++i)
            writeImage(QStringLiteral("%1/%2/%3.ppm").arg(root, names[k]).arg(i, 2, 10, QChar('0')),
                       width, height, classOf[k], seed + unsigned(100 * k + i));
}

/// finetune-cli train for one epoch from scratch; returns the run directory.
inline ProcessResult trainTiny(const QString& model, const QString& data, const QString& run,
                               int imageSize = 0) {
    QStringList args{"train",        model.isEmpty() ? "demo_cnn" : model,
                     "--data",       data,
                     "--val-split",  "0.25",
                     "--epochs",     "1",
                     "--batch-size", "8",
                     "--augment",    "none",
                     "--threads",    "2",
                     "--seed",       "7",
                     "--out",        run};
    args.insert(1, "--model");
    if (imageSize > 0) args << "--image-size" << QString::number(imageSize);
    return runCli(args);
}

}  // namespace exporttest
