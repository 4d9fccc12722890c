// The record-reading fast paths (64-bit mantissas in parseExact, one-limb toDouble) against the
// general implementations they shortcut: same values, same normalised fractions, same
// diagnostics, on edge cases around 2^64, 10^19, 2^127, zero, signs and denominators.
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>

#include "exact_reference.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

struct Outcome {
    bool ok = false;
    Exact value;
    std::string error;  // code and message
};

template <typename F>
Outcome run(F&& parse, const std::string& text, const NumberLimits& limits) {
    Outcome o;
    try {
        o.value = parse(text, limits);
        o.ok = true;
    } catch (const InputError& e) {
        o.error =
            std::to_string(static_cast<int>(e.diagnostic().code)) + ": " + e.diagnostic().message;
    }
    return o;
}

void checkSame(const std::string& text, const NumberLimits& limits = {}) {
    INFO("text: " << text);
    const Outcome fast = run([](auto t, auto l) { return parseExact(t, l); }, text, limits);
    const Outcome slow =
        run([](auto t, auto l) { return detail::parseExactReference(t, l); }, text, limits);
    REQUIRE(fast.ok == slow.ok);
    CHECK(fast.error == slow.error);
    if (fast.ok) {
        // Equal and identically normalised (numerator and denominator).
        CHECK(numerator(fast.value) == numerator(slow.value));
        CHECK(denominator(fast.value) == denominator(slow.value));
    }
}

}  // namespace

TEST_CASE("parseExact's 64-bit path matches the digit-string path", "[exact][perf]") {
    const std::vector<std::string> cases = {
        "0", "-0", "+0", "0.0", "000.000", "0e5", "0.000e-99", "7", "-7", "+7", "007", "10", "100",
        "0.5", "0.25", "0.38", "-0.38", "2.5", "336.5", "0.125", "0.1", "0.2", "0.0625", "1.000",
        "10.50", "-10.50", "1e25", "1E+25", "-1e25", "3.8e25", "2.061e+10", "1.2e-5", "1.25e-5",
        "8e-30", "1e-30", "1e-31", "1e60", "1e61", "9.99e60", "405B", "15.6T", "1.6B", "378.92M",
        "2.04K", "0.5P", "-3.2K",
        // 19 and 20 significant digits, around 2^64 = 18446744073709551616.
        "9999999999999999999", "10000000000000000000", "18446744073709551615",
        "18446744073709551616", "18446744073709551617", "-18446744073709551615",
        "1844674407370955161.5", "0.9999999999999999999", "0.99999999999999999999",
        "9999999999999999999e19", "9999999999999999999e20", "9999999999999999999e-19",
        "1.234567890123456789e40", "1234567890123456789e-48",
        // Around 2^127 and 2^128 as 128-bit products (m * 10^scale).
        "1.7014118346046923173e38", "3.4028236692093846346e38", "3.4028236692093846347e38",
        "9.999999999999999999e37", "1e38", "1e39",
        // Denominators with factors 2 and 5 only, after trailing zeros cancel.
        "0.0000000000000000001", "0.00000000000000000016", "1.0000000000000000000000000",
        "12.340000000", "0.1000e1", "5e-1", "25e-2", "125e-3", "2e-1", "4e-2", "8e-3",
        // Errors keep their messages.
        "", "+", "-", ".5", "5.", "1e", "1e+", "1x", "1KB", "1k", "1.2.3", "--1", "1e999999999999",
        "1e-999999999999", "1e61", "1e-31", std::string(201, '1'), std::string(200, '1')};
    for (const auto& c : cases) checkSame(c);

    NumberLimits tight;
    tight.minExponent = -2;
    tight.maxExponent = 3;
    tight.maxLength = 6;
    for (const auto& c : {"999", "9999", "0.01", "0.001", "1234567", "1K", "10K", "-0.5"})
        checkSame(c, tight);
}

TEST_CASE("parseExact's 64-bit path matches on random decimals", "[exact][perf]") {
    std::mt19937_64 rng(20261127);
    for (int i = 0; i < 5000; ++i) {
        std::string t;
        if (rng() % 4 == 0) t += (rng() % 2) ? '-' : '+';
        const int intDigits = 1 + static_cast<int>(rng() % 21);
        for (int k = 0; k < intDigits; ++k) t += static_cast<char>('0' + rng() % 10);
        if (rng() % 2) {
            t += '.';
            const int frac = 1 + static_cast<int>(rng() % 21);
            for (int k = 0; k < frac; ++k)
                t += static_cast<char>('0' + (rng() % 3 ? rng() % 10 : 0));
        }
        switch (rng() % 4) {
            case 0:
                t += 'e' + std::to_string(static_cast<int>(rng() % 80) - 40);
                break;
            case 1:
                t += "KMBTP"[rng() % 5];
                break;
            default:
                break;
        }
        checkSame(t);
    }
}

TEST_CASE("toDouble's one-limb path matches the scaled path", "[exact][perf]") {
    const std::vector<Exact> cases = {
        Exact(0),
        Exact(1),
        Exact(-1),
        Exact(BigInt(1), BigInt(3)),
        Exact(BigInt(-2), BigInt(3)),
        Exact(BigInt((std::uint64_t(1) << 53) + 1)),
        Exact(BigInt(~std::uint64_t(0))),
        Exact(-BigInt(~std::uint64_t(0))),
        Exact(BigInt(~std::uint64_t(0)), BigInt((std::uint64_t(1) << 63) + 1)),
        Exact(BigInt(1), BigInt(~std::uint64_t(0))),
        Exact(BigInt(~std::uint64_t(0)) + 1),  // two limbs: the general path
        Exact(BigInt(1), BigInt(~std::uint64_t(0)) + 2),
        parseExact("3.8e25"),
        parseExact("336.5"),
        parseExact("1e-30"),
        parseExact("1e60"),
    };
    for (const auto& v : cases) {
        INFO("value: " << v);
        const double fast = toDouble(v);
        const double slow = detail::toDoubleReference(v);
        CHECK(std::memcmp(&fast, &slow, sizeof fast) == 0);
    }
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t n = rng() >> (rng() % 64), d = (rng() >> (rng() % 64)) | 1;
        const Exact v(BigInt(n) * ((rng() & 1) ? 1 : -1), BigInt(d));
        const double fast = toDouble(v);
        const double slow = detail::toDoubleReference(v);
        INFO(n << "/" << d);
        CHECK(std::memcmp(&fast, &slow, sizeof fast) == 0);
    }
}
