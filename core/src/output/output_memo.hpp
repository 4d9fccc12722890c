#pragma once
// Private to the output layer: the one memo mechanism of the report writers. JSON
// (json_memo.hpp), CSV (report_csv.cpp) and Markdown (report_markdown.cpp) each keep the
// byte runs that repeat from record to record (a verdict's policy cells per date and position,
// interval and number texts) in a per-thread memo of their own type, reached through
// threadMemo<T>. Every entry is checked against its inputs before it is reused, and with
// FLOPLEDGER_FAST_PATHS=OFF the writers rebuild every entry (kFastPaths), so output never
// depends on what a thread rendered before.
#include <flopledger/date.hpp>

#include <atomic>
#include <cstdint>
#include <string>

namespace flopledger::inline v1::detail {

/// A memo owner that was never used before (a writer whose cells depend on its options).
inline std::uint64_t nextMemoOwner() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

/// This thread's memo of type T for `owner`. It is reset when it last served another owner;
/// owner 0: one memo per thread shared by every writer (entries that validate every input).
template <class T>
T& threadMemo(std::uint64_t owner = 0) {
    struct Slot {
        std::uint64_t owner = 0;
        T memo{};
    };
    static thread_local Slot slot;
    if (slot.owner != owner) {
        slot.memo = T{};
        slot.owner = owner;
    }
    return slot.memo;
}

/// Date::toIsoDay() of the date this thread wrote last (every record's as-of date): a memo
/// entry checked against the whole date; rebuilt every time with FLOPLEDGER_FAST_PATHS=OFF.
struct DayText {
    Date date;
    std::string text;
    const std::string& of(const Date& d) {
        if (!FLOPLEDGER_FAST_PATHS || text.empty() || d.year != date.year ||
            d.month != date.month || d.day != date.day || d.precision != date.precision) {
            text.clear();  // (empty until rebuilt: never stale after a failure)
            text = d.toIsoDay();
            date = d;
        }
        return text;
    }
};

inline const std::string& isoDayText(const Date& d) {
    return threadMemo<DayText>().of(d);
}

}  // namespace flopledger::detail
