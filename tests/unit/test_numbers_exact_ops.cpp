// The exact fast operations of base/exact_fast.hpp against Boost's operators: the 128-bit
// integer paths of addExact / mulExact (edges at 2^64, 2^127, 2^128, overflow fall-back, zero,
// negative numbers and fractions), wholeU128, copyExact, and sameAsToDouble bit for bit.
#include <flopledger/exact.hpp>
#include <flopledger/quantity.hpp>

#include "base/exact_fast.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

Exact pow2(unsigned n) {
    return Exact(BigInt(1) << n);
}

std::uint64_t bitsOf(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

}  // namespace

TEST_CASE("128-bit addExact and mulExact equal Boost's operators", "[numbers][fast-path]") {
    std::vector<Exact> values = {Exact(0),     Exact(1),           Exact(2),
                                 Exact(-1),    Exact(-5),          Exact(1, 3),
                                 Exact(-7, 2), parseExact("7e24"), parseExact("1e-9")};
    for (unsigned n : {32U, 63U, 64U, 65U, 96U, 126U, 127U, 128U, 129U, 200U}) {
        const Exact p = pow2(n);
        values.push_back(p - 1);
        values.push_back(p);
        values.push_back(p + 1);
        values.push_back(-p);
        values.push_back(p / 3);  // a fraction of the same size
    }
    for (const Exact& a : values) {
        for (const Exact& b : values) {
            INFO(a.str() << " and " << b.str());
            CHECK(detail::addExact(a, b) == a + b);
            CHECK(detail::mulExact(a, b) == a * b);
        }
    }
    // Results at the edge: 2^128 - 1 stays on the 128-bit path, 2^128 falls back.
    CHECK(detail::addExact(pow2(127), pow2(127) - 1) == pow2(128) - 1);
    CHECK(detail::addExact(pow2(127), pow2(127)) == pow2(128));
    CHECK(detail::mulExact(pow2(64), pow2(63)) == pow2(127));
    CHECK(detail::mulExact(pow2(64), pow2(64)) == pow2(128));
    CHECK(detail::mulExact(pow2(64) - 1, pow2(64) + 1) == pow2(128) - 1);
}

TEST_CASE("wholeU128 reads whole numbers below 2^128 only", "[numbers][fast-path]") {
    detail::U128 v = 0;
    CHECK(detail::wholeU128(Exact(0), v));
    CHECK(v == 0);
    CHECK(detail::wholeU128(pow2(64), v));
    CHECK(v == static_cast<detail::U128>(1) << 64);
    CHECK(detail::wholeU128(pow2(128) - 1, v));
    CHECK(v == ~static_cast<detail::U128>(0));
    CHECK_FALSE(detail::wholeU128(pow2(128), v));
    CHECK_FALSE(detail::wholeU128(Exact(-3), v));
    CHECK_FALSE(detail::wholeU128(Exact(1, 2), v));
    CHECK_FALSE(detail::wholeU128(Exact(4, 2) - Exact(1, 3), v));
}

TEST_CASE("sameAsToDouble of two-limb whole numbers is toDouble bit for bit",
          "[numbers][fast-path]") {
    std::vector<Exact> values;
    for (unsigned n = 64; n <= 128; ++n) {
        const Exact p = pow2(n);
        for (const Exact& x :
             std::vector<Exact>{p - 1, p, p + 1, p - pow2(n - 53), p + pow2(n - 54),
                                p + pow2(n - 54) + 1, p + pow2(n - 53) - 1, p * 3 / 2 + 7})
            values.push_back(x);
    }
    // Pseudo-random 65..128-bit values (a fixed linear congruential sequence).
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t hi = state >> (i % 64);
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        if (hi == 0) continue;
        values.push_back(Exact((BigInt(hi) << 64) + BigInt(state)));
    }
    for (const char* text : {"7e24", "1.8446744073709551616e19", "3.4e38", "1e25", "6e23"})
        values.push_back(parseExact(text));
    for (const Exact& x : values) {
        INFO(x.str());
        CHECK(bitsOf(detail::sameAsToDouble(x)) == bitsOf(toDouble(x)));
    }
}

TEST_CASE("copyExact and IntervalCopy give the same values as copies", "[numbers][fast-path]") {
    std::vector<Exact> values = {Exact(0),     Exact(1),           Exact(-1),         Exact(1, 3),
                                 Exact(-7, 2), parseExact("7e24"), parseExact("1e-9")};
    for (unsigned n : {63U, 64U, 65U, 127U, 128U, 129U}) {
        values.push_back(pow2(n) - 1);
        values.push_back(pow2(n));
        values.push_back(pow2(n) + 1);
        values.push_back(-pow2(n));
    }
    for (const Exact& x : values) {
        INFO(x.str());
        const Exact c = detail::copyExact(x);
        CHECK(c == x);
        CHECK(detail::sameExact(c, x));  // same normalised parts
        std::optional<Interval> iv;
        const Interval src{x, x + 1, x * 2};
        iv.emplace(detail::IntervalCopy::of(src));
        CHECK(*iv == src);
    }
}

TEST_CASE("sameAsToDouble is toDouble bit for bit", "[numbers][fast-path]") {
    const auto bits = [](double d) {
        std::uint64_t u = 0;
        std::memcpy(&u, &d, sizeof u);
        return u;
    };
    std::vector<Exact> values = {Exact(0),
                                 Exact(1),
                                 Exact(-5),
                                 Exact(1, 3),
                                 Exact(-7, 2),
                                 parseExact("7e24"),
                                 parseExact("123456789012345678"),
                                 parseExact("18446744073709551557"),  // largest prime < 2^64
                                 parseExact("1e-9")};
    for (unsigned n : {1U, 52U, 53U, 54U, 62U, 63U, 64U, 65U, 126U, 127U, 128U, 300U}) {
        const Exact p = pow2(n);
        values.push_back(p - 1);  // all ones: rounds up in double above 2^53
        values.push_back(p);
        values.push_back(p + 1);
        values.push_back(p + pow2(n > 11 ? n - 11 : 0) + 1);  // a tie-breaking pattern
        values.push_back(-p);
    }
    for (const Exact& x : values) {
        INFO(x.str());
        CHECK(bits(detail::sameAsToDouble(x)) == bits(toDouble(x)));
    }
}
