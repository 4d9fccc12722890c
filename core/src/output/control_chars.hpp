#pragma once
// Private: control characters in names and notes (ESC, BEL, NUL from "\u0000", ...) must not
// reach CSV and Markdown output raw, where a terminal would act on them (issue 18). Each is
// written as its visible Unicode "control picture" (U+2400 + c; DEL as U+2421).
#include <string>
#include <string_view>

namespace flopledger::inline v1::detail {

/// A C0 control other than tab, CR and LF, or DEL.
constexpr bool unsafeControl(unsigned char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/// Appends the control picture of `c` (an unsafeControl byte) in UTF-8.
inline void appendControlPicture(std::string& out, unsigned char c) {
    out += '\xE2';
    out += '\x90';
    out += static_cast<char>(c == 0x7f ? 0xA1 : 0x80 + c);
}

/// `s` with every unsafe control replaced by its picture.
inline std::string withControlPictures(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (unsafeControl(c))
            appendControlPicture(out, c);
        else
            out += ch;
    }
    return out;
}

inline bool hasUnsafeControl(std::string_view s) {
    for (const char ch : s)
        if (unsafeControl(static_cast<unsigned char>(ch))) return true;
    return false;
}

}  // namespace flopledger::detail
