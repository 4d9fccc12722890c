// Exact number parsing and formatting (docs/data-format.md, numbers).
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <string>

using namespace flopledger;

namespace {

ErrorCode parseErrorCode(const std::string& text, const NumberLimits& limits = {}) {
    try {
        (void)parseExact(text, limits);
    } catch (const InputError& e) {
        return e.diagnostic().code;
    }
    return ErrorCode::Internal;  // "no error", which no test expects
}

Exact ratio(long n, long d) {
    return Exact(BigInt(n), BigInt(d));
}

}  // namespace

TEST_CASE("parseExact reads plain decimals exactly", "[exact]") {
    CHECK(parseExact("0") == 0);
    CHECK(parseExact("15600000000000") == Exact(BigInt("15600000000000")));
    CHECK(parseExact("0.38") == ratio(38, 100));
    CHECK(parseExact("+2.5") == ratio(5, 2));
    CHECK(parseExact("-2.5") == ratio(-5, 2));
    CHECK(parseExact("007") == 7);
    // 0.1 is exactly 1/10 here, unlike the double 0.1000000000000000055511151231257827.
    CHECK(parseExact("0.1") * 10 == 1);
}

TEST_CASE("parseExact reads scientific notation exactly", "[exact]") {
    CHECK(parseExact("1e25") == Exact(BigInt("10000000000000000000000000")));
    CHECK(parseExact("1E+25") == parseExact("1e25"));
    CHECK(parseExact("3.8e25") == Exact(BigInt("38000000000000000000000000")));
    CHECK(parseExact("3.14e+23") == Exact(BigInt("314000000000000000000000")));
    CHECK(parseExact("25e-1") == ratio(5, 2));
    CHECK(parseExact("1e-30") == Exact(BigInt(1), BigInt("1000000000000000000000000000000")));
    // 1e25 + 1 is distinguishable from 1e25: no rounding through double.
    CHECK(parseExact("10000000000000000000000001") > parseExact("1e25"));
}

TEST_CASE("parseExact reads the K M B T P suffixes", "[exact]") {
    CHECK(parseExact("405B") == Exact(BigInt("405000000000")));
    CHECK(parseExact("15.6T") == Exact(BigInt("15600000000000")));
    CHECK(parseExact("7K") == 7000);
    CHECK(parseExact("1.5M") == 1500000);
    CHECK(parseExact("2P") == Exact(BigInt("2000000000000000")));
    CHECK(parseErrorCode("405b") == ErrorCode::NumberSyntax);  // suffixes are upper case only
    CHECK(parseErrorCode("1e3K") == ErrorCode::NumberSyntax);
    CHECK(parseErrorCode("5BB") == ErrorCode::NumberSyntax);
}

TEST_CASE("parseExact rejects non-numbers with NumberSyntax", "[exact]") {
    for (const char* bad :
         {"",   "abc", "1.2.3", "NaN", "nan", "inf", "-inf",  "Infinity", " 1", "1 ",  "0x10",
          "1e", "1e+", ".5",    "5.",  "--1", "+",   "1,000", "1_000",    "e5", "1.e5"}) {
        INFO(bad);
        CHECK(parseErrorCode(bad) == ErrorCode::NumberSyntax);
    }
}

TEST_CASE("parseExact bounds the decimal exponent of the value", "[exact]") {
    CHECK(parseExact("1e60") == pow10(60));
    CHECK(parseExact("9.99e60") == parseExact("999e58"));
    CHECK(parseErrorCode("1.5e61") == ErrorCode::NumberRange);
    CHECK(parseErrorCode("15e60") == ErrorCode::NumberRange);
    CHECK(parseErrorCode("1e-31") == ErrorCode::NumberRange);
    CHECK(parseErrorCode("0.0000000000000000000000000000001") == ErrorCode::NumberRange);
    CHECK(parseExact("0e999999999") == 0);  // zero has no exponent to bound
    // The exponent is that of the value, not of the text: 0.001e63 is 1e60.
    CHECK(parseExact("0.001e63") == pow10(60));
    CHECK(parseErrorCode("1000P", NumberLimits{-30, 17, 200}) == ErrorCode::NumberRange);
}

TEST_CASE("parseExact refuses exponent bombs without building big integers", "[exact]") {
    const auto start = std::chrono::steady_clock::now();
    CHECK(parseErrorCode("1e999999999") == ErrorCode::NumberRange);
    CHECK(parseErrorCode("1e-99999999999999999999") == ErrorCode::NumberRange);
    CHECK(parseErrorCode("1e99999999999999999999999999999999999999") == ErrorCode::NumberRange);
    CHECK(parseErrorCode(std::string(100000, '9')) == ErrorCode::InputTooLarge);
    CHECK(parseErrorCode("1" + std::string(150, '0')) == ErrorCode::NumberRange);
    // Not a timing assertion (no timed tests): a bomb that was materialised would take
    // minutes, so merely finishing this test case shows the check happens first.
    (void)start;
}

TEST_CASE("formatExact writes terminating decimals exactly", "[exact]") {
    CHECK(formatExact(pow10(25)) == "10000000000000000000000000");
    CHECK(formatExact(ratio(3, 8)) == "0.375");
    CHECK(formatExact(ratio(-5, 2)) == "-2.5");
    CHECK(formatExact(Exact(0)) == "0");
    CHECK(formatExact(pow10(-30)) == "0.000000000000000000000000000001");
    CHECK(formatExact(parseExact("3.14e23")) == "314000000000000000000000");
    CHECK(formatExact(ratio(1, 20)) == "0.05");
}

TEST_CASE("formatExact rounds non-terminating values half-even to 40 digits", "[exact]") {
    CHECK(formatExact(ratio(1, 3)) == "0." + std::string(40, '3'));
    CHECK(formatExact(ratio(2, 3)) == "0." + std::string(39, '6') + "7");
    // 1e25 / 3 = 3333333333333333333333333.3333...: 25 integer digits + 15 decimals.
    CHECK(formatExact(pow10(25) / 3) == std::string(25, '3') + "." + std::string(15, '3'));
    CHECK(formatExact(ratio(1, 3), 3) == "0.333");
    CHECK(formatExact(ratio(2, 3), 1) == "0.7");
    // 1e30/7 = 142857142857142857142857142857.142857..., 3 digits: 1.43e29 plainly.
    CHECK(formatExact(pow10(30) / 7, 3) == "143000000000000000000000000000");
}

TEST_CASE("formatScientific rounds half-even to the requested digits", "[exact]") {
    CHECK(formatScientific(parseExact("3.14159e23"), 3) == "3.14e23");
    CHECK(formatScientific(pow10(25), 3) == "1e25");
    CHECK(formatScientific(parseExact("9.99e24"), 3) == "9.99e24");
    // Rounding carry: 9.995e24 is exactly halfway at 3 digits; half-even goes to 10.00 -> 1e25.
    CHECK(formatScientific(parseExact("9.995e24"), 3) == "1e25");
    CHECK(formatScientific(parseExact("1.125e24"), 3) == "1.12e24");  // tie to even
    CHECK(formatScientific(parseExact("1.135e24"), 3) == "1.14e24");  // tie to even
    CHECK(formatScientific(parseExact("1.1251e24"), 3) == "1.13e24");
    CHECK(formatScientific(parseExact("0.38"), 3) == "0.38");
    CHECK(formatScientific(Exact(1200), 3) == "1200");
    CHECK(formatScientific(Exact(0), 3) == "0");
    CHECK(formatScientific(parseExact("-3.8e25"), 2) == "-3.8e25");
    CHECK(formatScientific(parseExact("2.5e-5"), 3) == "2.5e-5");
    CHECK(formatScientific(ratio(1, 3), 3) == "0.333");
    CHECK(formatScientific(Exact(9999), 3) == "1e4");
    CHECK(formatScientific(Exact(12345), 1) == "1e4");
}

TEST_CASE("toDouble and log10Exact stay accurate for huge values", "[exact]") {
    CHECK(toDouble(ratio(1, 4)) == 0.25);
    CHECK(toDouble(parseExact("3.14e23")) == Approx(3.14e23).epsilon(1e-15));
    CHECK(toDouble(ratio(-3, 2)) == -1.5);
    const Exact huge = pow10(400) * 3;  // beyond double range
    CHECK(std::isinf(toDouble(huge)));
    CHECK(log10Exact(huge) == Approx(400.0 + std::log10(3.0)).epsilon(1e-14));
    CHECK(log10Exact(pow10(25)) == Approx(25.0).epsilon(1e-15));
    CHECK(log10Exact(pow10(-300) / pow10(300)) == Approx(-600.0).epsilon(1e-14));
    CHECK(log10Exact(pow10(400) / (pow10(399) * 4)) == Approx(std::log10(2.5)).epsilon(1e-14));
    CHECK(std::isinf(log10Exact(Exact(0))));
}

TEST_CASE("pow10 is exact", "[exact]") {
    CHECK(pow10(0) == 1);
    CHECK(pow10(3) == 1000);
    CHECK(pow10(-2) == ratio(1, 100));
    CHECK(pow10(26) == parseExact("1e26"));
}
