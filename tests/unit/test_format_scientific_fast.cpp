// formatScientific's fixed-width path (base/number_text.cpp formatScientificRounded) against the
// big-integer reference, and LazyRational::toExact's lowest terms, on fractions whose parts are
// near the 64- and 128-bit limits, halfway cases and negatives; the reader's default central.
#include "base/exact_detail.hpp"
#include "base/number_text.hpp"
#include "estimate/architecture_model.hpp"

#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace flopledger;

namespace {

Exact big(const std::string& s) {
    return Exact(BigInt(s));
}

std::vector<Exact> parts() {
    return {Exact(1),
            Exact(2),
            Exact(3),
            Exact(7),
            Exact(8),
            Exact(10),
            Exact(125),
            Exact(999),
            Exact(1000),
            Exact(99950),
            big("9223372036854775807"),                       // 2^63 - 1
            big("18446744073709551615"),                      // 2^64 - 1
            big("18446744073709551616"),                      // 2^64
            big("100000000000000000000000"),                  // 10^23
            big("170141183460469231731687303715884105727"),   // 2^127 - 1
            big("340282366920938463463374607431768211455")};  // 2^128 - 1
}

}  // namespace

TEST_CASE("formatScientific of fractions: hand-derived values", "[numbers][fast-path]") {
    CHECK(formatScientific(Exact(1) / 3, 3) == "0.333");
    CHECK(formatScientific(Exact(2) / 3, 3) == "0.667");
    CHECK(formatScientific(Exact(1) / 8, 2) == "0.12");  // 0.125: half to even
    CHECK(formatScientific(Exact(3) / 8, 2) == "0.38");  // 0.375: half to even
    CHECK(formatScientific(Exact(7) / 64000, 3) == "1.09e-4");
    CHECK(formatScientific(Exact(1) / 30000, 3) == "3.33e-5");
    CHECK(formatScientific(Exact(123456789) / 1000, 3) == "1.23e5");
    CHECK(formatScientific(Exact(-5) / 4, 6) == "-1.25");
    CHECK(formatScientific(Exact(9995) / 10000, 3) == "1");  // 0.9995 rounds up a digit
    CHECK(formatScientific(Exact(19) / 50, 6) == "0.38");
}

TEST_CASE("formatScientific's fixed-width path matches the reference", "[numbers][fast-path]") {
    const auto ps = parts();
    std::size_t fast = 0;
    for (const Exact& n : ps) {
        for (const Exact& d : ps) {
            for (const Exact& v : {Exact(n / d), Exact(-(n / d)), Exact((n + 1) / d)}) {
                for (int sig : {0, 1, 2, 3, 4, 6, 12, 20, 38, 40, 41}) {
                    INFO(v.str() << " sig " << sig);
                    CHECK(formatScientific(v, sig) == detail::formatScientificReference(v, sig));
                    std::string out;
                    if (detail::formatScientificRounded(v, sig, out)) {
                        ++fast;
                        CHECK(out == detail::formatScientificReference(v, sig));
                    }
                }
            }
        }
    }
    if constexpr (detail::kFastPaths) CHECK(fast > 0);
    std::string out;
    CHECK_FALSE(detail::formatScientificRounded(Exact(0), 3, out));
    CHECK_FALSE(detail::formatScientificRounded(Exact(1) / 3, 41, out));
    CHECK_FALSE(detail::formatScientificRounded(big("340282366920938463463374607431768211456"), 3,
                                                out));  // 2^128
    CHECK(formatScientific(Exact(0), 3) == "0");
}

TEST_CASE("LazyRational::toExact of fractions is in lowest terms", "[numbers][fast-path]") {
    using detail::LazyRational;
    const auto ps = parts();
    for (const Exact& n : ps) {
        for (const Exact& d : ps) {
            // n * 6 / (d * 4): a common factor the conversion must remove.
            LazyRational x(n);
            x *= LazyRational(6);
            x /= LazyRational(d);
            x /= LazyRational(4);
            const Exact expected = n * 6 / (d * 4);
            const Exact got = x.toExact();
            INFO(expected.str());
            CHECK(numerator(got) == numerator(expected));
            CHECK(denominator(got) == denominator(expected));
        }
    }
}

TEST_CASE("an interval's default central is (low + high) / 2, exactly and in lowest terms",
          "[numbers][reader]") {
    const std::string line =
        R"({"id":"m","architecture":{"family":"generic","params":{"low":1,"high":2}},)"
        R"("stages":[{"kind":"pretraining","flop":{"low":"1e24","high":"3e24"},)"
        R"("tokens":{"low":"0.1","high":"0.25","distribution":"uniform"},)"
        R"("hardware":{"accelerator":"nvidia-h100","count":8,"hours":10,)"
        R"("utilization":{"low":0.3,"high":0.5}}}]})";
    const Record r = RecordReader().parseLine(line, "t.jsonl", 1);
    const ModelRecord& m = std::get<ModelRecord>(r);
    const auto same = [](const Exact& got, const Exact& want) {
        return numerator(got) == numerator(want) && denominator(got) == denominator(want);
    };
    CHECK(same(m.architecture->params->central(), Exact(BigInt(3), BigInt(2))));
    const Stage& s = m.stages.at(0);
    CHECK(same(s.flop->central(), Exact(BigInt(2)) * pow10(24)));
    CHECK(same(s.tokens->central(), Exact(BigInt(7), BigInt(40))));                // 0.175
    CHECK(same(s.hardware->utilization->central(), Exact(BigInt(2), BigInt(5))));  // 0.4
    CHECK(same(s.hardware->count->central(), Exact(8)));
    CHECK(m.uncertainCount == 4);
}
