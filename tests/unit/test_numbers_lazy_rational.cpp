// LazyRational's 128-bit fast path against plain cpp_rational arithmetic: values near 2^64 and
// 2^127, overflow into the cpp_int fall-back and back, negatives, zero and denominators.
#include "estimate/architecture_model.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace flopledger;
using detail::LazyRational;

namespace {

Exact big(const std::string& s) {
    return Exact(BigInt(s));
}

Exact ratio(const std::string& n, const std::string& d) {
    return Exact(BigInt(n), BigInt(d));
}

/// Edge values: zero, signs, fractions, 2^63 +- 1, 2^64 +- 1, 2^126, 2^127 - 1, 2^127, 2^128,
/// big fractions.
std::vector<Exact> edgeValues() {
    return {
        Exact(0),
        Exact(1),
        Exact(-1),
        Exact(3),
        Exact(-7),
        ratio("2", "5"),
        ratio("-19", "50"),
        ratio("1979", "2"),
        big("9223372036854775807"),                       // 2^63 - 1
        big("9223372036854775808"),                       // 2^63
        big("-9223372036854775809"),                      // -(2^63 + 1)
        big("18446744073709551615"),                      // 2^64 - 1
        big("18446744073709551616"),                      // 2^64
        big("18446744073709551617"),                      // 2^64 + 1
        big("85070591730234615865843651857942052864"),    // 2^126
        big("170141183460469231731687303715884105727"),   // 2^127 - 1
        big("-170141183460469231731687303715884105727"),  // -(2^127 - 1)
        big("170141183460469231731687303715884105728"),   // 2^127 (fall-back from the start)
        big("-170141183460469231731687303715884105728"),  // -2^127
        big("340282366920938463463374607431768211456"),   // 2^128
        ratio("1", "170141183460469231731687303715884105727"),
        ratio("170141183460469231731687303715884105727", "3"),
        ratio("-340282366920938463463374607431768211457", "18446744073709551616"),
    };
}

}  // namespace

TEST_CASE("LazyRational round-trips edge values exactly", "[numbers][fast-path]") {
    for (const Exact& v : edgeValues()) {
        CAPTURE(v.str());
        CHECK(LazyRational(v).toExact() == v);
    }
    CHECK(LazyRational(big("170141183460469231731687303715884105727")).isFast());
    CHECK_FALSE(LazyRational(big("170141183460469231731687303715884105728")).isFast());
    CHECK_FALSE(LazyRational(big("-170141183460469231731687303715884105728")).isFast());
    CHECK(LazyRational::toBig(LazyRational::Wide(1) << 100) ==
          BigInt("1267650600228229401496703205376"));
}

TEST_CASE("LazyRational arithmetic matches cpp_rational on every pair of edge values",
          "[numbers][fast-path]") {
    const std::vector<Exact> vals = edgeValues();
    for (const Exact& a : vals) {
        for (const Exact& b : vals) {
            CAPTURE(a.str(), b.str());
            const LazyRational la(a), lb(b);
            CHECK((la + lb).toExact() == a + b);
            CHECK((la - lb).toExact() == a - b);
            CHECK((la * lb).toExact() == a * b);
            if (b != 0) CHECK((la / lb).toExact() == a / b);
            CHECK((la < lb) == (a < b));
            CHECK((la <= lb) == (a <= b));
            CHECK((la > lb) == (a > b));
            // Chains: overflow into cpp_int and back again.
            LazyRational c = la;
            c *= lb;
            c *= lb;
            c += la;
            if (b != 0) c /= lb;
            if (b != 0) c /= lb;
            Exact e = (a * b * b + a);
            if (b != 0) e = e / b / b;
            CHECK(c.toExact() == e);
        }
    }
}

TEST_CASE("LazyRational leaves the cpp_int fall-back when the result fits again",
          "[numbers][fast-path]") {
    const Exact two127 = big("170141183460469231731687303715884105728");
    LazyRational x =
        LazyRational(Exact(2)) * LazyRational(big("85070591730234615865843651857942052864"));
    CHECK_FALSE(x.isFast());  // 2^127 does not fit
    CHECK(x.toExact() == two127);
    x /= LazyRational(Exact(4));
    x.reduceWhole();
    CHECK(x.isFast());
    CHECK(x.toExact() == big("42535295865117307932921825928971026432"));

    // Sums that overflow 128 bits, then cancel.
    LazyRational s(big("170141183460469231731687303715884105727"));
    s += LazyRational(big("170141183460469231731687303715884105727"));
    CHECK_FALSE(s.isFast());
    s -= LazyRational(big("170141183460469231731687303715884105727"));
    CHECK(s.isFast());
    CHECK(s.toExact() == big("170141183460469231731687303715884105727"));

    // Copies of a fall-back value are deep.
    LazyRational c = s * LazyRational(Exact(4));
    LazyRational d = c;
    c += LazyRational(Exact(1));
    CHECK(d.toExact() == big("680564733841876926926749214863536422908"));
    CHECK(c.toExact() == big("680564733841876926926749214863536422909"));
}

TEST_CASE("LazyRational reduceWhole and lowest terms", "[numbers][fast-path]") {
    LazyRational v = LazyRational(Exact(12)) / LazyRational(Exact(4));
    v.reduceWhole();
    CHECK(v.toExact() == 3);
    CHECK(v.den() == 1);
    LazyRational f = LazyRational(Exact(10)) / LazyRational(Exact(-4));
    f.reduceWhole();  // not whole: stays a fraction, denominator kept positive
    CHECK(f.den() > 0);
    CHECK(f.toExact() == ratio("-5", "2"));
    // Unreduced fractions compare correctly.
    const LazyRational a = LazyRational(Exact(2)) / LazyRational(Exact(4));
    const LazyRational b = LazyRational(Exact(1)) / LazyRational(Exact(2));
    CHECK_FALSE(a < b);
    CHECK_FALSE(b < a);
    CHECK((a + b).toExact() == 1);
}

TEST_CASE("ceilToMultiple on LazyRational matches the Exact version", "[numbers][fast-path]") {
    std::vector<Exact> vals = {Exact(0),
                               Exact(1),
                               Exact(128),
                               Exact(129),
                               Exact(50257),
                               ratio("257", "2"),
                               ratio("-3", "2"),
                               Exact(-129),
                               big("18446744073709551617"),
                               big("170141183460469231731687303715884105727"),
                               big("340282366920938463463374607431768211457")};
    for (const Exact& v : vals) {
        for (int m : {1, 8, 128, 1000}) {
            CAPTURE(v.str(), m);
            // The Exact formula: (n + d*m - 1) / (d*m) with cpp_int's truncating division, times m.
            const BigInt dd = denominator(v) * m;
            BigInt c = (numerator(v) + dd - 1) / dd;
            c *= m;
            CHECK(detail::ceilToMultiple(LazyRational(v), m).toExact() == Exact(c));
        }
    }
}

TEST_CASE("LazyRational products of a small factor and a wide value", "[numbers][fast-path]") {
    // 2^95 - 1 and 2^95 on either side of the small-factor bound; factors near 2^31.
    const std::vector<Exact> wide = {
        big("39614081257132168796771975167"), big("39614081257132168796771975168"),
        big("-39614081257132168796771975168"), big("-39614081257132168796771975169"),
        big("85070591730234615865843651857942052863")};
    const std::vector<Exact> small = {Exact(3),
                                      Exact(-3),
                                      Exact(2147483647),
                                      Exact(-2147483647),
                                      Exact(-2147483648LL),
                                      Exact(2147483648LL),
                                      Exact(0)};
    for (const Exact& w : wide) {
        for (const Exact& k : small) {
            CAPTURE(w.str(), k.str());
            CHECK((LazyRational(w) * LazyRational(k)).toExact() == w * k);
            CHECK((LazyRational(k) * LazyRational(w)).toExact() == w * k);
            LazyRational x(w);
            x *= LazyRational(k);
            CHECK(x.toExact() == w * k);
        }
    }
}
