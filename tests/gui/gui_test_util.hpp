#pragma once
// Helpers of the GUI tests: temporary registry files.
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

inline QString writeTemp(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

// Three models around the EU AI Act's 1e25 line: above, exactly on it (not above: ">"), below.
inline QByteArray threeModels() {
    return R"([
  {"id": "alpha", "name": "Alpha", "developer": "Lab A", "released": "2024-03-01",
   "modalities": ["text"], "architecture": {"family": "decoder", "params": "70B"},
   "stages": [{"kind": "pretraining", "flop": "3.8e25"}]},
  {"id": "beta", "name": "Beta", "developer": "Lab B", "released": "2023-06-15",
   "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": "1e25"}]},
  {"id": "gamma", "name": "Gamma", "developer": "Lab A", "released": "2022-01",
   "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": {"low": "2e24", "high": "8e24"}}]}
]
)";
}
