#pragma once
// Private to the JSON output (assessment_json.cpp): the per-thread memo of a document's repeated
// pieces (intervals, verdict segments, exact-number and double texts) and the writing context.
#include <flopledger/assessment.hpp>

#include "base/exact_fast.hpp"
#include "base/number_text.hpp"
#include "output/json_writer.hpp"
#include "output/output_memo.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail::jsonout {

class IntervalCache {
public:
    void clear() {
        used_ = 0;
        last_ = 0;
    }
    /// Writes the bytes of an entry with this key recorded in w's layout state, if any.
    bool replay(const SmallInt (&key)[3], Writer& w) {
        // The entry that served last first: a record's verdicts mostly count the same interval.
        if (last_ < used_ && matches(entries_[last_], key) && w.replay(entries_[last_].segment)) {
            return true;
        }
        for (std::size_t i = 0; i < used_; ++i) {
            if (matches(entries_[i], key) && w.replay(entries_[i].segment)) {
                last_ = i;
                return true;
            }
        }
        return false;
    }
    // A slot for key (recycling the oldest when full); its segment is written by the caller.
    Segment& add(const SmallInt (&key)[3]) {
        std::size_t slot = 0;
        if (used_ < kMax) {
            if (used_ == entries_.size()) {
                entries_.emplace_back();
            }
            slot = used_++;
        } else {
            slot = next_++ % kMax;
        }
        last_ = slot;
        Entry& e = entries_[slot];
        std::copy(std::begin(key), std::end(key), e.key);
        e.segment.valid = false;
        return e.segment;
    }

private:
    static constexpr std::size_t kMax = 32;
    struct Entry {
        SmallInt key[3];
        Segment segment;
    };
    static bool matches(const Entry& e, const SmallInt (&key)[3]) {
        return e.key[1] == key[1] && e.key[0] == key[0] && e.key[2] == key[2];
    }
    std::size_t last_ = 0;
    std::vector<Entry> entries_;  // kept across documents (per thread): no allocation per record
    std::size_t used_ = 0;
    std::size_t next_ = 0;
};

// Per-thread caches of the verdicts' byte runs that depend only on the policy (and date): the
// head (policy, title, in force, legal status), the threshold with its comparator, and the
// missing inputs with the notes. Indexed by date and verdict position; every reuse is checked
// against the current values first.
struct VerdictCache {
    std::string policy, title, legalStatus;
    bool inForce = false;
    // Not 0: policy and title were recorded from this evaluator's verdict at this position
    // with its policy's texts (verdict_origin.hpp), so they are that policy's.
    std::uint64_t headOrigin = 0;
    long headDay = 0;  // with headOrigin: the as-of day (in force and legal status are its)
    Segment head;
    bool hasThreshold = false;
    SmallInt threshold;
    std::string comparator;
    Segment limit;
    // The notes and the end of the verdict: a few variants (a policy's notes differ with what
    // the record leaves open); the one used last is tried first, a miss replaces them in turn.
    struct Notes {
        std::vector<std::string> notes;
        std::uint64_t origin = 0;  // as headOrigin: the first notes are the policy's static ones
        Segment tail;
    };
    std::array<Notes, 4> notes;
    std::size_t lastNotes = 0;
    std::size_t nextNotes = 0;
};

struct ThreadCaches {
    IntervalCache intervals;
    std::vector<std::vector<VerdictCache>> verdicts;  // [date][verdict]
    bool busy = false;                                // a nested document uses no caches
    int year = 0, month = 0, day = 0;                 // the last as-of date and its text
    std::string dayText;

    // formatExact's text of the other exact values of this document (few: fractions such as
    // an implied utilization, often a point interval's three equal bounds).
    struct ExactText {
        Exact value;
        std::string text;
    };
    std::vector<ExactText> exacts;
    std::size_t exactsUsed = 0;
    const std::string& exactText(const Exact& v) {
        for (std::size_t i = 0; i < exactsUsed; ++i) {
            if (detail::sameExact(exacts[i].value, v)) {
                return exacts[i].text;
            }
        }
        if (exactsUsed == exacts.size()) {
            exacts.emplace_back();
        }
        ExactText& e = exacts[exactsUsed++];
        e.value = v;
        // formatExactText's text into the entry's kept capacity (no allocation per value).
        if (!detail::formatRounded(v, 40, e.text)) {
            e.text = formatExact(v);
        }
        return e.text;
    }

    // Number texts of this document, keyed by the double's bits.
    struct NumberText {
        std::uint64_t bits;
        std::size_t len;
        char text[64];
    };
    std::array<NumberText, 8> numbers{};
    std::size_t numbersUsed = 0;
    std::string_view numberText(double x) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        const std::size_t n = std::min(numbersUsed, numbers.size());
        for (std::size_t i = 0; i < n; ++i) {
            if (numbers[i].bits == bits) {
                return {numbers[i].text, numbers[i].len};
            }
        }
        NumberText& e = numbers[numbersUsed++ % numbers.size()];
        e.bits = bits;
        e.len = Writer::formatNumber(x, e.text);
        return {e.text, e.len};
    }
    void startDocument() {
        intervals.clear();
        exactsUsed = 0;
        numbersUsed = 0;
    }
};

inline ThreadCaches& threadCaches() {
    return threadMemo<ThreadCaches>();
}

// An exact number as a JSON string: whole numbers below 2^128 (almost every FLOP value) and
// short terminating fractions from the limbs, anything else through formatExact (big-integer
// division), at most once per distinct value and document.
inline void writeExact(Writer& w, ThreadCaches* caches, const Exact& v) {
    SmallInt x;
    char buf[48];
    std::size_t len = 0;
    if (smallInt(v, x)) {
        w.plainValue(std::string_view(buf, formatSmall(x, buf)));
    } else if (formatDecimal(v, buf, len)) {
        w.plainValue(std::string_view(buf, len));
    } else if (caches == nullptr) {
        w.value(detail::formatExactText(v));
    } else {
        w.value(caches->exactText(v));
    }
}

// Margins and probabilities repeat within a record (policies with the same counted FLOP and
// threshold): each distinct double is formatted once per document.
inline void writeNumber(Writer& w, ThreadCaches* caches, double x) {
    if (caches == nullptr) {
        w.number(x);
        return;
    }
    // A decided verdict's probability: number()'s text of +0.0 and 1.0 without a lookup.
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    if (bits == 0) {
        w.literal("0.0");
        return;
    }
    if (bits == 0x3FF0000000000000ull) {  // 1.0
        w.literal("1.0");
        return;
    }
    w.raw(caches->numberText(x));
}

struct Context {
    Writer w;
    ThreadCaches* caches;    // nullptr: write everything directly
    bool breakdown = false;  // estimate: FLOP by component of architecture stages
    Context(std::string& out, int indent) : w(out, indent) {
        ThreadCaches& t = threadCaches();
        caches = !kFastPaths || t.busy ? nullptr : &t;  // OFF: no memo, written directly
        if (caches != nullptr) {
            caches->busy = true;
            caches->startDocument();
        }
    }
    ~Context() {
        if (caches != nullptr) {
            caches->busy = false;
        }
    }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

}  // namespace flopledger::inline v1::detail::jsonout
