// Calendar dates: strict ISO parsing and day arithmetic (proleptic Gregorian, no time zones).
#include <flopledger/date.hpp>

#include <cstdio>
#include <ctime>

namespace flopledger::inline v1 {
namespace {

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at `pos`; -1 if any is not a digit.
int digitsAt(std::string_view s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date.
long daysFromCivil(long y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
    Date d;
    if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
    d.year = digitsAt(text, 0, 4);
    if (d.year < 1) return std::nullopt;
    d.month = 1;
    d.day = 1;
    d.precision = Precision::Year;
    if (text.size() >= 7) {
        if (text[4] != '-') return std::nullopt;
        d.month = digitsAt(text, 5, 2);
        if (d.month < 1 || d.month > 12) return std::nullopt;
        d.precision = Precision::Month;
    }
    if (text.size() == 10) {
        if (text[7] != '-') return std::nullopt;
        d.day = digitsAt(text, 8, 2);
        if (d.day < 1 || d.day > daysInMonth(d.year, d.month)) return std::nullopt;
        d.precision = Precision::Day;
    }
    return d;
}

Date Date::today() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    Date d;
    d.year = utc.tm_year + 1900;
    d.month = utc.tm_mon + 1;
    d.day = utc.tm_mday;
    d.precision = Precision::Day;
    return d;
}

std::string Date::toString() const {
    char buf[32];
    switch (precision) {
        case Precision::Year:
            std::snprintf(buf, sizeof buf, "%04d", year);
            break;
        case Precision::Month:
            std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
            break;
        case Precision::Day:
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
            break;
    }
    return buf;
}

std::string Date::toIsoDay() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

Date Date::fromDaysSinceEpoch(long z) {
    // Howard Hinnant's civil_from_days.
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    Date d;
    d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
    d.precision = Precision::Day;
    return d;
}

long Date::daysSinceEpoch() const {
    return daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

double Date::fractionalYear() const {
    const long start = daysFromCivil(year, 1, 1);
    const double length = isLeap(year) ? 366.0 : 365.0;
    return year + static_cast<double>(daysSinceEpoch() - start) / length;
}

}  // namespace flopledger
