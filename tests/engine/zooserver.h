#pragma once

// Starts tests/fixtures/zoo_server.py (a local stand-in for
// download.pytorch.org) for tst_modelzoo and tst_downloaddialog, and reads
// its request log. The server stops when this object closes its stdin.
#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpSocket>

class ZooServer {
public:
    ~ZooServer() {
        if (m_process.state() == QProcess::NotRunning) return;
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    /// Empty on success, else what went wrong.
    QString start(const QString& python, const QStringList& extraArgs = {}) {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(
            python, QStringList{QStringLiteral(FTS_SOURCE_DIR "/tests/fixtures/zoo_server.py")} +
                        extraArgs);
        if (!m_process.waitForStarted(10000)) return QStringLiteral("the server did not start");
        while (!m_process.canReadLine()) {
            if (!m_process.waitForReadyRead(60000))
                return QStringLiteral("the server printed no port");
        }
        const QJsonObject o = QJsonDocument::fromJson(m_process.readLine()).object();
        m_port = o.value(QStringLiteral("port")).toInt();
        m_files = o.value(QStringLiteral("files")).toObject();
        return m_port > 0 ? QString() : QStringLiteral("the server printed no port");
    }

    int port() const { return m_port; }
    /// The served name of a file ("tiny" -> "tiny-<sha256[:8]>.pth").
    QString fileName(const QString& key) const { return m_files.value(key).toString(); }
    QString url(const QString& route, const QString& name) const {
        return QStringLiteral("http://127.0.0.1:%1/%2/%3").arg(m_port).arg(route, name);
    }
    QString base(const QString& route) const {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(route);
    }

    /// Every request so far, as {"path", "range"} objects (read with a
    /// plain HTTP/1.0 GET so the code under test is not used to test itself).
    QJsonArray requests() const {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(m_port));
        if (!socket.waitForConnected(5000)) return {};
        socket.write("GET /log HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray reply;
        while (socket.waitForReadyRead(5000) || socket.bytesAvailable()) {
            reply += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState) break;
        }
        reply += socket.readAll();
        const int body = reply.indexOf("\r\n\r\n");
        return body < 0 ? QJsonArray() : QJsonDocument::fromJson(reply.mid(body + 4)).array();
    }

    /// How many requests asked for `path`, and how many of them with a Range.
    int count(const QString& path, bool withRangeOnly = false) const {
        int n = 0;
        for (const auto v : requests()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("path")).toString() != path) continue;
            if (withRangeOnly && o.value(QStringLiteral("range")).toString().isEmpty()) continue;
            ++n;
        }
        return n;
    }

private:
    QProcess m_process;
    int m_port = 0;
    QJsonObject m_files;
};
