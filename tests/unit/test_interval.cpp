// Exact interval arithmetic (non-negative operands, endpoint by endpoint).
#include <flopledger/diagnostic.hpp>
#include <flopledger/quantity.hpp>

#include <catch2/catch.hpp>

using namespace flopledger;

TEST_CASE("interval sum and product pair matching endpoints", "[interval]") {
    Interval a{Exact(1), Exact(2), Exact(3)};
    Interval b{Exact(10), Exact(20), Exact(40)};
    CHECK((a + b) == Interval{Exact(11), Exact(22), Exact(43)});
    CHECK((a * b) == Interval{Exact(10), Exact(40), Exact(120)});
    CHECK((a * Exact(1, 3)) == Interval{Exact(1, 3), Exact(2, 3), Exact(1)});
}

TEST_CASE("interval division pairs low with the divisor's high", "[interval]") {
    Interval a{Exact(2), Exact(4), Exact(8)};
    Interval b{Exact(1), Exact(2), Exact(4)};
    CHECK((a / b) == Interval{Exact(1, 2), Exact(2), Exact(8)});
    const Interval zero;  // 0, 0, 0
    bool threw = false;
    try {
        Interval q = a / zero;
        CHECK(q.low < 0);  // unreachable: division by zero must throw
    } catch (const InputError& e) {
        threw = e.diagnostic().code == ErrorCode::NumberZero;
    }
    CHECK(threw);
}

TEST_CASE("points stay points and arithmetic is exact", "[interval]") {
    Interval p = Interval::point(Exact(1, 10));
    Interval s = p + p + p;
    CHECK(s.isPoint());
    CHECK(s.central == Exact(3, 10));  // no binary rounding: 0.1 + 0.1 + 0.1 == 0.3
}
