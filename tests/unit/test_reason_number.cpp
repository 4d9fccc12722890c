// The reasons' 3-digit formatter (policy/reason_number.cpp: one division, half-even on the exact
// remainder) against formatScientific's big-integer reference, on hand-derived values, halfway
// cases at every exponent, powers of ten and their neighbours, the 64- and 128-bit limits and
// pseudo-random whole numbers.
#include "base/exact_detail.hpp"
#include "policy/reason_number.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

using namespace flopledger;

namespace {

Exact big(const std::string& s) {
    return Exact(BigInt(s));
}

std::string fast(const Exact& v) {
    std::string out = "x";  // appends: what was there stays
    if (!detail::appendScientific3(out, v)) return "(no fast path)";
    return out.substr(1);
}

std::string viaNum3(const Exact& v) {
    std::string out;
    detail::appendNum3(out, v);
    return out;
}

}  // namespace

TEST_CASE("reason numbers: hand-derived texts", "[numbers][fast-path]") {
    CHECK(viaNum3(Exact(0)) == "0");
    CHECK(viaNum3(Exact(7)) == "7");
    CHECK(viaNum3(Exact(999)) == "999");
    CHECK(viaNum3(Exact(1234)) == "1230");
    CHECK(viaNum3(Exact(1235)) == "1240");  // half to even: 123.5 -> 124
    CHECK(viaNum3(Exact(1225)) == "1220");  // 122.5 -> 122
    CHECK(viaNum3(Exact(9995)) == "1e4");   // 999.5 -> 1000: one more digit
    CHECK(viaNum3(Exact(-12345)) == "-1.23e4");
    CHECK(viaNum3(big("3240000000000000000000")) == "3.24e21");
    CHECK(viaNum3(big("100000000000000000000000000")) == "1e26");
    CHECK(viaNum3(big("30000000000000000000000000")) == "3e25");
    CHECK(viaNum3(big("125000000000000000000000")) == "1.25e23");
    CHECK(viaNum3(big("120500000000000000000000")) == "1.2e23");  // tie to even (120)
    CHECK(viaNum3(big("120500000000000000000001")) == "1.21e23");
    CHECK(viaNum3(Exact(1) / 3) == "0.333");  // a fraction: the general formatter
}

TEST_CASE("reason numbers match formatScientific's reference", "[numbers][fast-path]") {
    std::vector<Exact> values;
    BigInt p = 1;
    for (int e = 0; e <= 38; ++e, p *= 10) {
        for (int d : {-1, 0, 1}) values.emplace_back(Exact(BigInt(p + d)));
        // halfway cases: x.xx5 * 10^e and their neighbours
        if (e >= 3) {
            const BigInt half = 1005 * p / 1000;
            for (int d : {-1, 0, 1}) values.emplace_back(Exact(BigInt(half + d)));
            const BigInt half2 = 9995 * p / 1000;
            for (int d : {-1, 0, 1}) values.emplace_back(Exact(BigInt(half2 + d)));
            const BigInt half3 = 2345 * p / 1000;
            values.emplace_back(Exact(BigInt(half3)));
        }
    }
    for (const char* s :
         {"18446744073709551615", "18446744073709551616", "340282366920938463463374607431768211455",
          "170141183460469231731687303715884105727"})
        values.push_back(big(s));
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; ++i) {  // xorshift: whole numbers of many sizes below 2^128
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // up to 20 + 18 digits (below 2^128), from the decimal text (no big-integer shifts)
        const std::string digits = std::to_string(x) + std::to_string(x / 3).substr(0, i % 19);
        values.push_back(big(digits));
    }
    const Exact limit = big("340282366920938463463374607431768211456");  // 2^128
    std::size_t taken = 0;
    for (const Exact& v : values) {
        for (const Exact& w : {v, Exact(-v)}) {
            const std::string ref = detail::formatScientificReference(w, 3);
            INFO(w.str());
            CHECK(viaNum3(w) == ref);
            // The fast path takes every whole number below 2^128 and nothing else.
            const bool below = v < limit;
            if constexpr (detail::kFastPaths) {
                CHECK(fast(w) == (below ? ref : std::string("(no fast path)")));
                taken += below ? 1 : 0;
            } else {
                CHECK(fast(w) == "(no fast path)");
            }
        }
    }
    if constexpr (detail::kFastPaths) CHECK(taken > 4000);
}
