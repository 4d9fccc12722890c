#pragma once
// Private: doubles as text in the C locale whatever the host set with setlocale (a C host or the
// GUI may run under de_DE, where printf writes "1,5"; issue 18). std::to_chars is
// locale-independent, and with a format and a precision it writes what printf's "%.*g" / "%.*f"
// write in the "C" locale.
#include <charconv>
#include <string>

namespace flopledger::inline v1::detail {

/// printf("%.*g", precision, v) in the C locale.
inline std::string generalText(double v, int precision) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
    return std::string(buf, r.ptr);
}

/// printf("%.*f", precision, v) in the C locale (|v| below 1e40; else the general form).
inline std::string fixedText(double v, int precision) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision);
    if (r.ec != std::errc()) return generalText(v, 17);
    return std::string(buf, r.ptr);
}

}  // namespace flopledger::detail
