// The record-reading fast paths (64-bit mantissas in parseExact, whole numbers below 2^128,
// fractions stored without a gcd, one-limb toDouble) against the general implementations they
// shortcut: same values, same normalised fractions, same
// diagnostics, on edge cases around 2^64, 10^19, 2^127, zero, signs and denominators.
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/record_reader.hpp>

#include "base/exact_detail.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <variant>
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

// The reference parser's outcome: what every fast path is compared with.
Outcome referenceParse(const std::string& text, const NumberLimits& limits) {
    return run([](auto t, auto l) { return detail::parseExactReference(t, l); }, text, limits);
}

void checkSame(const std::string& text, const NumberLimits& limits = {}) {
    INFO("text: " << text);
    const Outcome fast = run([](auto t, auto l) { return parseExact(t, l); }, text, limits);
    const Outcome slow = referenceParse(text, limits);
    REQUIRE(fast.ok == slow.ok);
    CHECK(fast.error == slow.error);
    if (fast.ok) {
        // Equal and identically normalised (numerator and denominator).
        CHECK(numerator(fast.value) == numerator(slow.value));
        CHECK(denominator(fast.value) == denominator(slow.value));
    }
}

// A random decimal for the differential tests: 1 to intMax integer digits; half the time a
// fraction of 1 to fracMax digits (about half of them zeros); one time in expEvery an exponent
// in [expLow, expLow + expSpan).
std::string randomDecimal(std::mt19937_64& rng, int intMax, int fracMax, int expEvery, int expSpan,
                          int expLow) {
    std::string t;
    const int intDigits = 1 + static_cast<int>(rng() % static_cast<unsigned>(intMax));
    for (int k = 0; k < intDigits; ++k) t += static_cast<char>('0' + rng() % 10);
    if (rng() % 2) {
        t += '.';
        const int frac = 1 + static_cast<int>(rng() % static_cast<unsigned>(fracMax));
        for (int k = 0; k < frac; ++k) t += static_cast<char>('0' + (rng() % 2 ? rng() % 10 : 0));
    }
    if (rng() % static_cast<unsigned>(expEvery) == 0)
        t +=
            'e' + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(expSpan)) + expLow);
    return t;
}

}  // namespace

TEST_CASE("parseExact's 64-bit path matches the digit-string path", "[exact][numbers][fast-path]") {
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

TEST_CASE("parseExact's 64-bit path matches on random decimals", "[exact][numbers][fast-path]") {
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

TEST_CASE("toDouble's one-limb path matches the scaled path", "[exact][numbers][fast-path]") {
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

TEST_CASE("parseWholeDecimal accepts exactly the whole numbers parseExact gives below 2^128",
          "[exact][numbers][fast-path]") {
    const BigInt limit = BigInt(1) << 128;
    auto check = [&](const std::string& text, const NumberLimits& limits) {
        INFO("text: " << text);
        detail::U128 w = 0;
        const bool fast = detail::parseWholeDecimal(text, limits, w);
        const Outcome reference = referenceParse(text, limits);
        const bool ok = reference.ok;
        const Exact& slow = reference.value;
        const bool wholeInRange = ok && denominator(slow) == 1 && slow >= 0 &&
                                  numerator(slow) < limit && !(text[0] == '-' && slow != 0);
        // Mantissas of more than 19 significant digits (counting trailing zeros) may be left to
        // parseExact; everything else whole and in range takes the fast path.
        std::size_t digits = 0;
        bool leading = true;
        for (const char c : text) {
            if (c == 'e' || c == 'E' || c == 'K' || c == 'M' || c == 'B' || c == 'T' || c == 'P')
                break;
            if (c < '0' || c > '9') continue;
            leading = leading && c == '0';
            if (!leading) ++digits;
        }
        if (fast) {
            CHECK(wholeInRange);
            CHECK(BigInt(w) == numerator(slow));
        } else if (digits <= 19) {
            CHECK_FALSE(wholeInRange);
        }
    };
    const std::vector<std::string> cases = {"0",
                                            "00",
                                            "-0",
                                            "+0",
                                            "0.000",
                                            "7",
                                            "007",
                                            "+7",
                                            "-7",
                                            "50257",
                                            "9999999999999999999",
                                            "10000000000000000000",
                                            "18446744073709551615",
                                            "18446744073709551616",
                                            "2.061e+10",
                                            "1.6B",
                                            "378.92M",
                                            "2.04K",
                                            "8.001e+23",
                                            "1e25",
                                            "1e38",
                                            "3.4028236692093846346e38",
                                            "3.4028236692093846347e38",
                                            "9.999999999999999999e37",
                                            "1e39",
                                            "336.5",
                                            "0.5",
                                            "1.50",
                                            "12.340000000e3",
                                            "1.2345e3",
                                            "1.23456e3",
                                            "5e-1",
                                            "10e-1",
                                            "100e-2",
                                            "1e60",
                                            "1e61",
                                            "1x",
                                            "",
                                            ".5",
                                            "1e",
                                            std::string(19, '9'),
                                            std::string(20, '1'),
                                            "0000000000000000001"};
    for (const auto& c : cases) check(c, NumberLimits{});
    NumberLimits tight;
    tight.minExponent = 1;
    tight.maxExponent = 3;
    tight.maxLength = 5;
    for (const auto& c : {"0", "1", "10", "999", "1000", "9999", "10000", "0010", "00010", "1K",
                          "1.5K", "10K", "123456"})
        check(c, tight);
    std::mt19937_64 rng(99);
    for (int i = 0; i < 5000; ++i) {
        const std::string t = randomDecimal(rng, 22, 6, 2, 50, -10);
        check(t, NumberLimits{});
    }
}

TEST_CASE("parseDecimalU128 gives parseExact's value for the numbers >= 0 it accepts",
          "[exact][numbers][fast-path]") {
    // Expected values from the reference parser (digit string and Boost's constructors); the
    // fast path must accept every plain decimal >= 0 of at most 19 significant digits whose
    // denominator is at most 10^19 (the reader's numeric fields) and agree on the value.
    auto check = [&](const std::string& text, const NumberLimits& limits) {
        INFO("text: " << text);
        detail::U128 num = 0, den = 0;
        const bool fast = detail::parseDecimalU128(text, limits, num, den);
        const Outcome reference = referenceParse(text, limits);
        const bool ok = reference.ok;
        const Exact& slow = reference.value;
        if (!fast) {
            if (!detail::kFastPaths) return;
            // Declined only for rejected text, negatives and long mantissas / huge values.
            const bool plain = ok && slow > 0 && text.find('-') == std::string::npos &&
                               text.size() <= 12 && numerator(slow) < BigInt(1) << 64 &&
                               denominator(slow) <= BigInt(10000000000000000000ull);
            CHECK_FALSE(plain);
            return;
        }
        REQUIRE(ok);
        CHECK(den > 0);
        CHECK(BigInt(num) == numerator(slow));
        CHECK(BigInt(den) == denominator(slow));
        // Lowest terms: what setFractionU128 requires.
        CHECK(boost::multiprecision::gcd(BigInt(num), BigInt(den)) == (num == 0 ? BigInt(den) : 1));
    };
    for (const char* c : {"0",
                          "-0",
                          "0.000",
                          "7",
                          "+7",
                          "-7",
                          "0.5",
                          "-0.5",
                          "507.9",
                          "0.38",
                          "1.50",
                          "2.5e-3",
                          "1e-19",
                          "1e-20",
                          "1e-38",
                          "1e-39",
                          "0.1234567890123456789",
                          "12.340000000e3",
                          "5e-1",
                          "10e-1",
                          "100e-2",
                          "3.25K",
                          "0.001M",
                          "1x",
                          "",
                          ".5",
                          "1e",
                          "38%",
                          "2.061e+10",
                          "18446744073709551616",
                          "9999999999999999999.5",
                          "1e38",
                          "1e39"})
        check(c, NumberLimits{});
    NumberLimits tight;
    tight.minExponent = -2;
    tight.maxExponent = 3;
    tight.maxLength = 6;
    for (const char* c : {"0.01", "0.001", "0.5", "999.5", "1000", "10000", "0.0100", "1.5K"})
        check(c, tight);
    std::mt19937_64 rng(123);
    for (int i = 0; i < 5000; ++i) {
        const std::string t = randomDecimal(rng, 8, 10, 3, 30, -20);
        check(t, NumberLimits{});
    }
}

TEST_CASE("Intervals read through the fast paths keep exact, normalised values",
          "[reader][numbers][fast-path]") {
    const RecordReader reader;
    auto central = [&](const std::string& low, const std::string& high) {
        const Record r =
            reader.parseLine(R"({"id": "x", "stages": [{"kind": "rl", "flop": {"low": )" + low +
                                 R"(, "high": )" + high + R"(}}]})",
                             "t.jsonl", 1);
        return std::get<ModelRecord>(r).stages.at(0).flop->central();
    };
    auto expect = [](const Exact& got, const Exact& want) {
        CHECK(numerator(got) == numerator(want));
        CHECK(denominator(got) == denominator(want));
    };
    expect(central("1", "2"), Exact(BigInt(3), BigInt(2)));
    expect(central("2", "4"), Exact(3));
    expect(central("0", "0"), Exact(0));
    expect(central("\"0.5\"", "1"), Exact(BigInt(3), BigInt(4)));
    expect(central("\"1e38\"", "\"3e38\""), Exact(BigInt(2) * pow(BigInt(10), 38)));
    expect(central("\"1e38\"", "\"1.00000000000000000001e38\""),
           (parseExact("1e38") + parseExact("1.00000000000000000001e38")) / 2);
    expect(central("\"18446744073709551615\"", "\"18446744073709551616\""),
           Exact(BigInt("36893488147419103231"), BigInt(2)));
    // Points: one-limb and two-limb whole numbers and decimals.
    const Record r = reader.parseLine(
        R"({"id": "y", "stages": [{"kind": "rl", "flop": "3.4e38", "tokens": 0, "params": "0.25"}]})",
        "t.jsonl", 1);
    const Stage& s = std::get<ModelRecord>(r).stages.at(0);
    expect(s.flop->value.low, parseExact("3.4e38"));
    expect(s.flop->value.high, parseExact("3.4e38"));
    expect(s.tokens->central(), Exact(0));
    expect(s.params->central(), Exact(BigInt(1), BigInt(4)));
    CHECK_FALSE(s.flop->uncertain());
}
