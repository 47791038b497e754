#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace fts::ui {

/// Measures how long the GUI thread's event loop goes without turning: a
/// precise timer ticks every few milliseconds; a tick that comes late by more
/// than its interval means the loop was busy (a "stall") for that long. The
/// longest stall is what a user feels as a frozen window.
///
/// Lives on the thread whose event loop it watches (the GUI thread).
class EventLoopMonitor : public QObject {
    Q_OBJECT
public:
    explicit EventLoopMonitor(QObject* parent = nullptr, int intervalMs = 5);

    void start();
    void stop();
    /// Forget the figures so far (e.g. when a run starts).
    void reset();

    /// Longest delay beyond the timer interval, in milliseconds.
    double longestStallMs() const { return m_longestNs / 1e6; }
    /// Ticks that came later than 50 ms (the responsiveness goal).
    int stallsOver50Ms() const { return m_over50; }
    qint64 ticks() const { return m_ticks; }

private:
    void onTick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_longestNs = 0;
    qint64 m_ticks = 0;
    int m_over50 = 0;
    int m_intervalMs;
};

}  // namespace fts::ui
