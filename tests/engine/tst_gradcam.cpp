// Grad-CAM on the demo CNN: a tiny model trained for a few steps on images
// whose class evidence sits in the top-left quadrant.
#include "core/error.h"
#include "export/bundle.h"
#include "export/gradcam.h"
#include "models/democnn.h"
#include "models/registry.h"

#include <QtTest>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <random>

namespace {

constexpr int kSize = 32;  // resized to 32, centre-cropped to 28 by the demo's transform

/// Class 1: a bright square in the top-left quadrant; class 0: none. Both
/// carry the same noise elsewhere.
fts::RgbImage makeImage(int cls, std::mt19937& rng) {
    fts::RgbImage img;
    img.width = img.height = kSize;
    img.pixels.resize(kSize * kSize * 3);
    std::uniform_int_distribution<int> noise(0, 60);
    std::uniform_int_distribution<int> shift(0, 2);
    const int ox = 2 + shift(rng), oy = 2 + shift(rng);
    for (int y = 0; y < kSize; ++y)
        for (int x = 0; x < kSize; ++x) {
            const bool blob = cls == 1 && x >= ox && x < ox + 8 && y >= oy && y < oy + 8;
            for (int c = 0; c < 3; ++c)
                img.pixels[(y * kSize + x) * 3 + c] =
                    static_cast<std::uint8_t>(blob ? 230 : noise(rng));
        }
    return img;
}

double topLeftShare(const fts::GradCamResult& r) {
    double all = 0.0, quadrant = 0.0;
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x) {
            const double v = r.heat[y * r.width + x];
            all += v;
            if (x < r.width / 2 && y < r.height / 2) quadrant += v;
        }
    return all > 0.0 ? quadrant / all : 0.0;
}

}  // namespace

class TestGradCam : public QObject {
    Q_OBJECT
private:
    fts::LoadedModel m_loaded;
    std::unique_ptr<fts::GradCam> m_cam;
    std::mt19937 m_rng{7};

private Q_SLOTS:
    void initTestCase() {
        torch::manual_seed(3);
        at::set_num_threads(2);
        m_loaded.model = fts::DemoCnn(2, /*width=*/8).ptr();
        m_loaded.description.architecture = "demo_cnn";
        m_loaded.description.classes = {"plain", "spot"};
        m_loaded.description.inputSize = 28;
        m_loaded.description.norm = {};
        // A few Adam steps on fresh batches are enough to separate the classes.
        auto& model = *m_loaded.model;
        model.train();
        torch::optim::Adam opt(model.parameters(), torch::optim::AdamOptions(3e-3));
        for (int step = 0; step < 60; ++step) {
            std::vector<at::Tensor> xs;
            std::vector<std::int64_t> ys;
            for (int i = 0; i < 16; ++i) {
                const int cls = i % 2;
                xs.push_back(fts::evalTransform(makeImage(cls, m_rng), 28, {}));
                ys.push_back(cls);
            }
            opt.zero_grad();
            const auto loss =
                torch::nn::functional::cross_entropy(model.forward(at::stack(xs)), at::tensor(ys));
            loss.backward();
            opt.step();
        }
        m_cam = std::make_unique<fts::GradCam>(m_loaded);
    }

    void layers() {
        const auto& l = m_cam->layers();
        QCOMPARE(m_cam->defaultLayer(), std::string("layer3"));
        QVERIFY(std::find(l.begin(), l.end(), "layer1.0") != l.end());
        QCOMPARE(l.front(), std::string("conv1"));
        QCOMPARE(l.back(), std::string("layer3"));
    }

    void heatConcentratesOnTheEvidence() {
        const auto r = m_cam->compute(makeImage(1, m_rng), /*classIndex=*/-1);
        QCOMPARE(r.predictedIndex, 1);
        QCOMPARE(r.classIndex, 1);
        QCOMPARE(r.width, 28);
        QCOMPARE(int(r.heat.size()), 28 * 28);
        QCOMPARE(int(r.overlay.pixels.size()), 28 * 28 * 3);
        const auto [lo, hi] = std::minmax_element(r.heat.begin(), r.heat.end());
        QVERIFY(*lo >= 0.0f);
        QCOMPARE(*hi, 1.0f);
        const double share = topLeftShare(r);
        qInfo("top-left share of the heat: %.3f (a quarter of the area)", share);
        // The 4 x 4 map of layer3 is coarse: clearly above the area's share,
        // with its peak inside the quadrant; the finer layer2 map sharper still.
        QVERIFY2(share > 0.4, qPrintable(QString::number(share)));
        const auto peak = std::max_element(r.heat.begin(), r.heat.end()) - r.heat.begin();
        QVERIFY(peak % 28 < 14 && peak / 28 < 14);
        const double fine = topLeftShare(m_cam->compute(makeImage(1, m_rng), 1, "layer2"));
        qInfo("layer2: %.3f", fine);
        QVERIFY2(fine > 0.6, qPrintable(QString::number(fine)));
    }

    void classesGiveDifferentMaps() {
        const auto image = makeImage(1, m_rng);
        const auto spot = m_cam->compute(image, 1);
        const auto plain = m_cam->compute(image, 0);
        QCOMPARE(plain.classIndex, 0);
        double diff = 0.0;
        for (std::size_t i = 0; i < spot.heat.size(); ++i)
            diff += std::abs(spot.heat[i] - plain.heat[i]);
        QVERIFY(diff / spot.heat.size() > 0.05);
        QVERIFY(topLeftShare(plain) < topLeftShare(spot));
    }

    void otherLayer() {
        const auto r = m_cam->compute(makeImage(1, m_rng), 1, "layer2.0");
        QCOMPARE(r.layer, std::string("layer2.0"));
        QCOMPARE(int(r.heat.size()), 28 * 28);
    }

    void architectures_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("lastBlock");
        QTest::newRow("resnet18") << "resnet18"
                                  << "layer4";
        QTest::newRow("mobilenet_v2") << "mobilenet_v2"
                                      << "features.17";
        QTest::newRow("mobilenet_v3_small") << "mobilenet_v3_small"
                                            << "features.11";
        QTest::newRow("efficientnet_b0") << "efficientnet_b0"
                                         << "features.7";
    }

    void architectures() {
        QFETCH(QString, name);
        QFETCH(QString, lastBlock);
        fts::LoadedModel loaded;
        loaded.model = fts::createModel(name.toStdString(), 3);
        loaded.description.architecture = name.toStdString();
        loaded.description.classes = {"a", "b", "c"};
        loaded.description.inputSize = 64;  // small: the backbones are fully convolutional
        const fts::GradCam cam(loaded);
        QCOMPARE(QString::fromStdString(cam.defaultLayer()), lastBlock);
        for (const std::string& layer : {cam.defaultLayer(), cam.layers().front()}) {
            const auto r = cam.compute(makeImage(1, m_rng), 2, layer);
            QCOMPARE(r.classIndex, 2);
            QCOMPARE(int(r.heat.size()), 64 * 64);
            QCOMPARE(int(r.overlay.pixels.size()), 64 * 64 * 3);
        }
    }

    void invalidInput() {
        try {
            m_cam->compute(makeImage(1, m_rng), 1, "layer9");
            QFAIL("no error for an unknown layer");
        } catch (const fts::Error& e) {
            QVERIFY2(QString(e.what()).contains("layer9") && QString(e.what()).contains("layer3"),
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(fts::Error, m_cam->compute(makeImage(1, m_rng), 5));
        QVERIFY(!fts::gradCamSupported("torchscript"));
        QVERIFY(fts::gradCamSupported("resnet18"));
    }
};

QTEST_GUILESS_MAIN(TestGradCam)
#include "tst_gradcam.moc"
