// base/number_text.cpp's rounding of fractions with a denominator below 2^64 (long division in
// 64-bit chunks) against the big-integer references formatExact and formatScientificReference,
// on random fractions of every operand size, hand-picked ties and carries, and the U512 path's
// denominators above 2^64 (which keep the old code).
#include "base/exact_detail.hpp"
#include "base/number_text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

// A random integer of `bits` bits (the top one set), as an Exact.
Exact randomBits(std::mt19937_64& rng, int bits) {
    BigInt x = 1;
    for (int i = 1; i < bits; ++i) {
        x = x * 2 + static_cast<int>(rng() & 1);
    }
    return Exact(x);
}

}  // namespace

TEST_CASE("formatRounded with 64-bit denominators matches formatExact on random fractions",
          "[numbers][fast-path]") {
    std::mt19937_64 rng(20261207);
    std::size_t fast = 0;
    const int sigs[] = {1, 2, 3, 7, 12, 19, 20, 21, 38, 39, 40};
    for (int i = 0; i < 6000; ++i) {
        const int numBits = 1 + static_cast<int>(rng() % 128);
        // Mostly below 2^64 (the new path), some up to 2^128 (the U512 path).
        const int denBits = 1 + static_cast<int>(rng() % (i % 5 == 0 ? 128 : 64));
        const Exact v = randomBits(rng, numBits) / randomBits(rng, denBits) * (i % 3 == 0 ? -1 : 1);
        INFO(v.str());
        std::string out;
        if (detail::formatRounded(v, 40, out)) {
            ++fast;
            CHECK(out == formatExact(v));
        }
        CHECK(detail::formatExactText(v) == formatExact(v));
        const int sig = sigs[static_cast<std::size_t>(i) % std::size(sigs)];
        if (detail::formatRounded(v, sig, out)) {
            CHECK(out == formatExact(v, sig));
        }
        if (detail::formatScientificRounded(v, sig, out)) {
            CHECK(out == detail::formatScientificReference(v, sig));
        }
    }
    if constexpr (detail::kFastPaths) CHECK(fast > 3000);
}

TEST_CASE("64-bit long division rounding: ties, carries and leading zeros",
          "[numbers][fast-path]") {
    // Ties (terminating fractions, only formatScientific rounds them): half to even.
    CHECK(formatScientific(Exact(1) / 8, 2) == "0.12");
    CHECK(formatScientific(Exact(3) / 8, 2) == "0.38");
    CHECK(formatScientific(Exact(25) / 2, 2) == "12");  // 12.5
    CHECK(formatScientific(Exact(35) / 2, 2) == "18");  // 17.5
    // A carry through every kept digit: 0.99996 -> 1 at three digits, 99.97 -> 100.
    CHECK(formatScientific(Exact(99996) / 100000, 3) == "1");
    CHECK(formatExact(Exact(29993) / 300, 3) == "100");
    // The smallest quotients a 64-bit denominator allows (19 leading zeros).
    const Exact tiny = Exact(1) / Exact(BigInt("18446744073709551557"));  // a prime below 2^64
    std::string out;
    REQUIRE(detail::formatRounded(tiny, 40, out));
    CHECK(out == formatExact(tiny));
    CHECK(out == "0.00000000000000000005421010862427522187375805678978449355123");
    // One third: 40 threes after the point.
    REQUIRE(detail::formatRounded(Exact(1) / 3, 40, out));
    CHECK(out == "0." + std::string(40, '3'));
    // Two thirds of 10^38 (a 38-digit integer part): two fraction digits, the last rounded up.
    const Exact big = Exact(BigInt("200000000000000000000000000000000000000")) / 3;
    REQUIRE(detail::formatRounded(big, 40, out));
    CHECK(out == "66666666666666666666666666666666666666.67");
}

TEST_CASE("formatSmall writes every 128-bit integer as BigInt::str does", "[numbers][fast-path]") {
    std::vector<BigInt> values = {0, 1, 9, 10, 99, 100, 12345678, 99999999, 100000000};
    BigInt ten = 1;
    for (int k = 0; k <= 38; ++k, ten *= 10) {
        values.push_back(ten - 1);
        values.push_back(ten);
        values.push_back(ten + 1);
    }
    const BigInt two64 = BigInt(1) << 64;
    const BigInt two128 = BigInt(1) << 128;
    const std::vector<BigInt> edges = {BigInt(two64 - 1),  two64,
                                       BigInt(two64 + 1),  BigInt(two128 - 1),
                                       BigInt(two128 / 3), BigInt(two64 * 10000000000000000000ull)};
    values.insert(values.end(), edges.begin(), edges.end());
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const int bits = 1 + static_cast<int>(rng() % 128);
        values.push_back(BigInt(randomBits(rng, bits).str()));
    }
    std::size_t checked = 0;
    for (const BigInt& b : values) {
        if (b >= two128) continue;
        for (const BigInt& v : {BigInt(b), BigInt(-b)}) {
            detail::SmallInt x;
            if (!detail::smallInt(Exact(v), x)) continue;  // (OFF: no fast path)
            char buf[48];
            const std::size_t n = detail::formatSmall(x, buf);
            CHECK(std::string(buf, n) == v.str());
            ++checked;
        }
    }
    if constexpr (detail::kFastPaths) CHECK(checked > 40000);
}
