#include "quantity_text.hpp"

#include <flopledger/exact.hpp>

#include <QCoreApplication>

namespace flopledger::inline v1::gui {

namespace {

QString tr(const char* s) {
    return QCoreApplication::translate("QuantityText", s);
}

// Exact decimal when short, else scientific: the editor shows what the file would hold.
QString exactText(const Exact& v) {
    const std::string plain = formatExact(v, 40);
    if (plain.size() <= 12) return QString::fromStdString(plain);
    return QString::fromStdString(formatScientific(v, 6));
}

}  // namespace

QuantityParse parseQuantityText(const QString& raw, QuantityRule rule) {
    QuantityParse out;
    const QString text = raw.trimmed();
    if (text.isEmpty()) return out;
    const QStringList parts = text.split(QStringLiteral(".."));
    if (parts.size() > 2) {
        out.error = tr("use one value or an interval low..high");
        return out;
    }
    std::vector<Exact> values;
    for (const QString& part : parts) {
        try {
            values.push_back(parseExact(part.trimmed().toStdString()));
        } catch (const InputError& e) {
            out.error = QString::fromStdString(e.diagnostic().message);
            return out;
        }
        const Exact& v = values.back();
        if (v < 0) {
            out.error = tr("must not be negative");
            return out;
        }
        if (rule != QuantityRule::NonNegative && v == 0) {
            out.error = tr("must be greater than zero");
            return out;
        }
        if (rule == QuantityRule::Fraction && v > 1) {
            out.error = tr("must be at most 1");
            return out;
        }
    }
    if (values.size() == 1) {
        out.value = Quantity(values[0]);
        return out;
    }
    if (values[0] > values[1]) {
        out.error = tr("low must not exceed high");
        return out;
    }
    // The contract's default central value of an interval is its midpoint.
    Interval iv{values[0], (values[0] + values[1]) / 2, values[1]};
    out.value = Quantity(iv, Distribution::LogUniform);
    return out;
}

QString quantityText(const std::optional<Quantity>& q) {
    if (!q) return {};
    if (!q->uncertain()) return exactText(q->value.central);
    return exactText(q->value.low) + QStringLiteral("..") + exactText(q->value.high);
}

}  // namespace flopledger::gui
