// Strict ISO dates for records and policies.
#include <flopledger/date.hpp>

#include <catch2/catch.hpp>

using namespace flopledger;

TEST_CASE("Date::parse accepts YYYY, YYYY-MM and YYYY-MM-DD", "[date]") {
    auto d = Date::parse("2024-07-23");
    REQUIRE(d);
    CHECK(d->year == 2024);
    CHECK(d->month == 7);
    CHECK(d->day == 23);
    CHECK(d->precision == Date::Precision::Day);
    CHECK(d->toString() == "2024-07-23");

    auto m = Date::parse("2024-07");
    REQUIRE(m);
    CHECK(m->precision == Date::Precision::Month);
    CHECK(m->toString() == "2024-07");
    CHECK(m->toIsoDay() == "2024-07-01");

    auto y = Date::parse("2020");
    REQUIRE(y);
    CHECK(y->precision == Date::Precision::Year);
    CHECK(y->toString() == "2020");
    CHECK(y->toIsoDay() == "2020-01-01");
}

TEST_CASE("Date::parse rejects impossible and malformed dates", "[date]") {
    for (const char* bad : {"2025-02-29", "2025-02-30", "2023-04-31", "2024-13-01", "2024-00-10",
                            "2024-01-00", "2024-1-5", "24-01-01", "2024/01/01", "", "0000",
                            "2024-01-01T00:00", "abcd", "2024-01-1x", " 2024"}) {
        INFO(bad);
        CHECK_FALSE(Date::parse(bad));
    }
    CHECK(Date::parse("2024-02-29"));  // leap year
    CHECK(Date::parse("2000-02-29"));  // divisible by 400
    CHECK_FALSE(Date::parse("1900-02-29"));
}

TEST_CASE("Date arithmetic and ordering", "[date]") {
    CHECK(Date::parse("1970-01-01")->daysSinceEpoch() == 0);
    CHECK(Date::parse("1970-01-02")->daysSinceEpoch() == 1);
    CHECK(Date::parse("1969-12-31")->daysSinceEpoch() == -1);
    // 2000-03-01: 30 years (7 leap days 1972..1996) + Jan (31) + Feb 2000 (29) days.
    CHECK(Date::parse("2000-03-01")->daysSinceEpoch() == 30 * 365 + 7 + 31 + 29);
    CHECK(Date::parse("2025-01-20")->daysSinceEpoch() == 20108);

    CHECK(Date::parse("2024")->fractionalYear() == 2024.0);
    // 2024 is a leap year: 1 July is day 182 (0-based) of 366.
    CHECK(Date::parse("2024-07-01")->fractionalYear() == Approx(2024.0 + 182.0 / 366.0));

    CHECK(*Date::parse("2025-01-19") < *Date::parse("2025-01-20"));
    CHECK(*Date::parse("2024-12-31") < *Date::parse("2025"));
    CHECK(*Date::parse("2025") == *Date::parse("2025-01-01"));

    const Date t = Date::today();
    CHECK(t.year >= 2024);
    CHECK(Date::parse(t.toIsoDay()));
}

TEST_CASE("Date::fromDaysSinceEpoch inverts daysSinceEpoch", "[date]") {
    // 2024-02-29 is 19,782 days after 1970-01-01 (54 years, 13 of them leap, plus Jan and 28 days).
    const Date leap = Date::fromDaysSinceEpoch(19782);
    CHECK(leap.toIsoDay() == "2024-02-29");
    CHECK(Date::fromDaysSinceEpoch(0).toIsoDay() == "1970-01-01");
    CHECK(Date::fromDaysSinceEpoch(-1).toIsoDay() == "1969-12-31");
    for (long d = -800000; d <= 800000; d += 997) {
        CHECK(Date::fromDaysSinceEpoch(d).daysSinceEpoch() == d);
    }
}
