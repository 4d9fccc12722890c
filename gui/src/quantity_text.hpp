#pragma once
// Text <-> Quantity for the editors: "405B", "3.8e25", or an interval "1e25..3e25" (log-uniform).
// Parsing is core's parseExact, so the editors accept exactly what the file format accepts.
#include <flopledger/diagnostic.hpp>
#include <flopledger/quantity.hpp>

#include <QString>

#include <optional>

namespace flopledger::inline v1::gui {

struct QuantityParse {
    std::optional<Quantity> value;  ///< nullopt with empty error: the field was cleared
    QString error;                  ///< non-empty: the text is invalid (shown next to the field)
};

enum class QuantityRule { Positive, NonNegative, Fraction };  ///< Fraction: 0 < x <= 1

QuantityParse parseQuantityText(const QString& text, QuantityRule rule = QuantityRule::Positive);
QString quantityText(const std::optional<Quantity>& q);

}  // namespace flopledger::gui
