#include "eval/metrics.h"

#include "core/error.h"

#include <algorithm>
#include <string>

namespace fts {

// RFC 4180: quote a field that holds a comma, a quote or a line break, and
// double the quotes inside it.
std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

ConfusionMatrix::ConfusionMatrix(int numClasses)
    : m_n(numClasses < 0 ? 0 : numClasses),
      m_counts(static_cast<std::size_t>(m_n) * static_cast<std::size_t>(m_n), 0) {}

void ConfusionMatrix::add(int trueClass, int predicted) {
    if (trueClass < 0 || trueClass >= m_n || predicted < 0 || predicted >= m_n)
        throw Error("confusion matrix: class index " + std::to_string(trueClass) + " / " +
                    std::to_string(predicted) + " is outside 0.." + std::to_string(m_n - 1));
    ++m_counts[static_cast<std::size_t>(trueClass) * m_n + predicted];
}

void ConfusionMatrix::clear() {
    std::fill(m_counts.begin(), m_counts.end(), 0);
}

std::int64_t ConfusionMatrix::count(int trueClass, int predicted) const {
    if (trueClass < 0 || trueClass >= m_n || predicted < 0 || predicted >= m_n) return 0;
    return m_counts[static_cast<std::size_t>(trueClass) * m_n + predicted];
}

std::int64_t ConfusionMatrix::total() const {
    std::int64_t sum = 0;
    for (auto c : m_counts) sum += c;
    return sum;
}

double ConfusionMatrix::accuracy() const {
    const auto n = total();
    if (n == 0) return 0.0;
    std::int64_t correct = 0;
    for (int i = 0; i < m_n; ++i) correct += count(i, i);
    return static_cast<double>(correct) / static_cast<double>(n);
}

std::vector<ClassMetrics> ConfusionMatrix::perClass() const {
    std::vector<ClassMetrics> result(static_cast<std::size_t>(m_n));
    for (int c = 0; c < m_n; ++c) {
        std::int64_t support = 0, predicted = 0;
        for (int k = 0; k < m_n; ++k) {
            support += count(c, k);
            predicted += count(k, c);
        }
        const auto tp = count(c, c);
        ClassMetrics& m = result[static_cast<std::size_t>(c)];
        m.support = support;
        m.precision = predicted > 0 ? double(tp) / double(predicted) : 0.0;
        m.recall = support > 0 ? double(tp) / double(support) : 0.0;
        m.f1 = (m.precision + m.recall) > 0.0
                   ? 2.0 * m.precision * m.recall / (m.precision + m.recall)
                   : 0.0;
    }
    return result;
}

std::string ConfusionMatrix::toCsv(const std::vector<std::string>& classNames) const {
    const auto name = [&](int i) {
        return i < static_cast<int>(classNames.size()) ? classNames[static_cast<std::size_t>(i)]
                                                       : std::to_string(i);
    };
    std::string csv = "true\\predicted";
    for (int p = 0; p < m_n; ++p) csv += "," + csvField(name(p));
    csv += "\n";
    for (int t = 0; t < m_n; ++t) {
        csv += csvField(name(t));
        for (int p = 0; p < m_n; ++p) csv += "," + std::to_string(count(t, p));
        csv += "\n";
    }
    return csv;
}

}  // namespace fts
