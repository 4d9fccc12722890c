// Epoch figure checks: export artefacts and implausible values (epoch_checks.hpp).
#include "records/epoch_checks.hpp"

#include <cctype>

namespace flopledger::inline v1::detail {

std::optional<std::string> epochArtefactCorrectionText(std::string_view text) {
    // Split "[+]D.DDDe[+-]X" into significant digits and a decimal exponent, by text only.
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    std::string digits;
    long exp10 = 0;  // value = 0.digits x 10^exp10 once leading zeros are dropped
    bool dot = false, any = false;
    std::size_t i = 0;
    for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
        const char c = text[i];
        if (c == '.') {
            if (dot) return std::nullopt;
            dot = true;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            any = true;
            if (digits.empty() && c == '0') {
                if (dot) --exp10;  // 0.00ddd
                continue;
            }
            digits += c;
            if (!dot) ++exp10;
        } else {
            return std::nullopt;
        }
    }
    if (!any || digits.empty()) return std::nullopt;
    if (i < text.size()) {
        std::string_view e = text.substr(i + 1);
        bool neg = false;
        if (!e.empty() && (e.front() == '+' || e.front() == '-')) {
            neg = e.front() == '-';
            e.remove_prefix(1);
        }
        if (e.empty() || e.size() > 4) return std::nullopt;
        long x = 0;
        for (char c : e) {
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
            x = x * 10 + (c - '0');
        }
        exp10 += neg ? -x : x;
    }
    // Round to 15 significant digits: the noise of a double written with 17 goes away.
    if (digits.size() > 15) {
        const bool up = digits[15] >= '5';
        digits.resize(15);
        if (up) {
            int k = 14;
            while (k >= 0 && digits[static_cast<std::size_t>(k)] == '9') {
                digits[static_cast<std::size_t>(k)] = '0';
                --k;
            }
            if (k < 0) {
                digits.insert(digits.begin(), '1');
                digits.pop_back();
                ++exp10;
            } else {
                ++digits[static_cast<std::size_t>(k)];
            }
        }
    }
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const std::size_t n = digits.size();
    if (n < 4 || digits[n - 1] != '1' || digits[n - 2] != '0' || digits[n - 3] != '0')
        return std::nullopt;
    digits.pop_back();
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    // d.ddd x 10^(exp10 - 1)
    std::string out(1, digits[0]);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += "e" + std::to_string(exp10 - 1);
    return out;
}

std::optional<Exact> epochArtefactCorrection(std::string_view text) {
    const auto t = epochArtefactCorrectionText(text);
    if (!t) return std::nullopt;
    return parseExact(*t);
}

bool implausibleCompute(const Exact& flop, const std::optional<Exact>& params,
                        const std::optional<Exact>& baseParams, bool namesBase) {
    if (!(flop < pow10(12))) return false;
    const Exact billion = pow10(9);
    if (params && !(*params < billion)) return true;
    if (baseParams && !(*baseParams < billion)) return true;
    return namesBase;
}

}  // namespace flopledger::detail
