#include "eventloopmonitor.h"

#include <algorithm>

namespace fts::ui {

EventLoopMonitor::EventLoopMonitor(QObject* parent, int intervalMs)
    : QObject(parent), m_timer(this), m_intervalMs(intervalMs) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopMonitor::onTick);
}

void EventLoopMonitor::start() {
    reset();
    m_timer.start();
}

void EventLoopMonitor::stop() {
    m_timer.stop();
}

void EventLoopMonitor::reset() {
    m_clock.start();
    m_lastNs = 0;
    m_longestNs = 0;
    m_ticks = 0;
    m_over50 = 0;
}

void EventLoopMonitor::onTick() {
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 stall = now - m_lastNs - qint64(m_intervalMs) * 1000000;
    m_lastNs = now;
    ++m_ticks;
    if (m_ticks == 1) return;  // the first tick measures the start, not the loop
    m_longestNs = std::max(m_longestNs, stall);
    if (stall > 50 * qint64(1000000)) ++m_over50;
}

}  // namespace fts::ui
