#pragma once
// Calendar dates as used by records (release) and policies (status history, --as-of).
#include <optional>
#include <string>
#include <string_view>

namespace flopledger {
inline namespace v1 {

/// A proleptic Gregorian date. Records may give only a year or year-month; `precision` keeps
/// what was said (for display), while comparisons use the first day of the period.
struct Date {
    int year = 1970;
    int month = 1;   ///< 1..12
    int day = 1;     ///< 1..31
    enum class Precision { Year, Month, Day } precision = Precision::Day;

    /// Parses YYYY, YYYY-MM or YYYY-MM-DD; rejects impossible days (2025-02-29). nullopt if bad.
    static std::optional<Date> parse(std::string_view text);
    /// Today in UTC.
    static Date today();
    /// The day `days` after 1970-01-01 (negative: before it); inverse of daysSinceEpoch().
    static Date fromDaysSinceEpoch(long days);

    std::string toString() const;      ///< as given: "2024", "2024-07" or "2024-07-23"
    std::string toIsoDay() const;      ///< always YYYY-MM-DD
    long daysSinceEpoch() const;       ///< days since 1970-01-01
    double fractionalYear() const;     ///< e.g. 2024.5 (for plotting and time-indexed thresholds)

    long key() const { return (static_cast<long>(year) * 16 + month) * 64 + day; }
    friend bool operator<(const Date& a, const Date& b) { return a.key() < b.key(); }
    friend bool operator<=(const Date& a, const Date& b) { return a.key() <= b.key(); }
    friend bool operator>(const Date& a, const Date& b) { return a.key() > b.key(); }
    friend bool operator>=(const Date& a, const Date& b) { return a.key() >= b.key(); }
    friend bool operator==(const Date& a, const Date& b) { return a.key() == b.key(); }
    friend bool operator!=(const Date& a, const Date& b) { return a.key() != b.key(); }
};

}  // inline namespace v1
}  // namespace flopledger
