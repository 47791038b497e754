#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fts {

struct ClassMetrics {
    double precision = 0.0;  // 0 when the class was never predicted
    double recall = 0.0;     // 0 when the class has no samples
    double f1 = 0.0;
    std::int64_t support = 0;  // true samples of the class
};

/// counts[t][p]: samples of true class t predicted as p.
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int numClasses = 0);
    void add(int trueClass, int predicted);
    void clear();
    int numClasses() const { return m_n; }
    std::int64_t count(int trueClass, int predicted) const;
    std::int64_t total() const;
    double accuracy() const;
    std::vector<ClassMetrics> perClass() const;
    /// Header = "true\\predicted" then class names; one row per true class.
    std::string toCsv(const std::vector<std::string>& classNames) const;

private:
    int m_n = 0;
    std::vector<std::int64_t> m_counts;
};

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
/// break, with inner quotes doubled.
std::string csvField(const std::string& text);

}  // namespace fts
