#pragma once
// The colours and words of verdict statuses, shared by the chart, the table and the calculator
// so one status looks the same everywhere.
#include "chart_builder.hpp"

#include <QColor>
#include <QIcon>
#include <QString>

namespace flopledger::inline v1::gui {

QColor statusColor(PointClass c);
/// Translated status word: "exceeds", "below", "indeterminate", "unknown".
QString statusText(PointClass c);
/// A small filled circle in the status colour (table badges, legend).
QIcon statusIcon(PointClass c);

}  // namespace flopledger::gui
