#include "status_style.hpp"

#include <QCoreApplication>
#include <QPainter>
#include <QPixmap>

namespace flopledger::inline v1::gui {

QColor statusColor(PointClass c) {
    // Colour-blind-safe (Okabe-Ito): vermillion, bluish green, orange, grey.
    switch (c) {
        case PointClass::Exceeds:
            return QColor(0xD5, 0x5E, 0x00);
        case PointClass::Below:
            return QColor(0x00, 0x9E, 0x73);
        case PointClass::Indeterminate:
            return QColor(0xE6, 0x9F, 0x00);
        case PointClass::Unknown:
            break;
    }
    return QColor(0x88, 0x88, 0x88);
}

QString statusText(PointClass c) {
    switch (c) {
        case PointClass::Exceeds:
            return QCoreApplication::translate("Status", "exceeds");
        case PointClass::Below:
            return QCoreApplication::translate("Status", "below");
        case PointClass::Indeterminate:
            return QCoreApplication::translate("Status", "indeterminate");
        case PointClass::Unknown:
            break;
    }
    return QCoreApplication::translate("Status", "unknown");
}

QIcon statusIcon(PointClass c) {
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(statusColor(c).darker(130));
        p.setBrush(statusColor(c));
        p.drawEllipse(QRectF(1.5, 1.5, size - 3.0, size - 3.0));
        icon.addPixmap(pm);
    }
    return icon;
}

}  // namespace flopledger::gui
