#pragma once
// Doubles as text in the C locale. QApplication calls setlocale(LC_ALL, "") on Unix, so printf
// would write "0,88" under de_DE while every other figure of the app (core's texts,
// QString::number) writes "0.88". std::to_chars with a precision writes exactly what printf's
// "%.*g" / "%.*f" write in the C locale.
#include <charconv>
#include <cmath>
#include <string>

namespace flopledger::inline v1::gui {

/// printf("%.*g", precision, v) in the C locale.
inline std::string cGeneralText(double v, int precision) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
    return std::string(buf, r.ptr);
}

/// printf("%.*f", precision, v) in the C locale, or "%+.*f" with plusSign (margins); |v| below
/// 1e40 (margins in dex and probabilities), else the general form.
inline std::string cFixedText(double v, int precision, bool plusSign = false) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision);
    std::string s = r.ec == std::errc() ? std::string(buf, r.ptr) : cGeneralText(v, 17);
    if (plusSign && !std::signbit(v)) s.insert(s.begin(), '+');
    return s;
}

}  // namespace flopledger::inline v1::gui
