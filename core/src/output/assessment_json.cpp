// The contract's JSON output documents (section 5). Field order is fixed and every number is
// formatted deterministically, so identical input gives byte-identical output.
//
// This is the hot path of `assess --format jsonl` (about 10 KB of JSON per record against every
// shipped policy), so objects are written straight into one string instead of being built as a
// DOM first; the layout matches nlohmann::json's dump() (compact, or pretty with an indent).
#include <flopledger/assessment.hpp>
#include <flopledger/provenance.hpp>

#include "base/fast_exact.hpp"
#include "base/number_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopledger {
namespace {

// "00" to "99": two decimal digits per table lookup.
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// A byte run the writer produced once, replayed when the same inputs come again: its bytes and
// the writer's layout state before (must match) and after (restored).
struct Segment {
    bool valid = false;
    int indent = 0;
    std::size_t depth = 0;  // compared only when pretty-printing (compact bytes ignore depth)
    bool first = false;
    bool afterKey = false;
    std::ptrdiff_t depthDelta = 0;
    bool firstAfter = false;
    bool afterKeyAfter = false;
    std::string bytes;
};

// Writes through a raw cursor into a per-thread scratch buffer that keeps its size between
// documents (no allocation, no zero-filling per record): the many small pieces of a document
// (keys, punctuation, short values) cost a bounds check and a memcpy each instead of
// std::string's append machinery. The document goes to the caller's string in pieces.
class Writer {
public:
    Writer(std::string& dest, int indent) : dest_(dest), indent_(indent) {
        out_.swap(scratch());  // a nested writer would find it empty and grow its own
        if (out_.size() < 16384) {
            out_.resize(16384);
        }
        // One allocation for the document, sized like this thread's previous one.
        start_ = dest_.size();
        dest_.reserve(start_ + lastSize() + lastSize() / 8 + 256);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        dest_.append(out_.data(), used_);
        lastSize() = dest_.size() - start_;
        out_.swap(scratch());
    }

    /// Moves what is written so far to the destination, in pieces of a few hundred bytes (a
    /// large single copy costs more); only between segments.
    void flushSome() {
        if (used_ >= 1024) {
            dest_.append(out_.data(), used_);
            used_ = 0;
        }
    }

    /// Writes s's bytes if it was recorded in the same layout state; false otherwise.
    bool replay(const Segment& s) {
        if (!s.valid || s.indent != indent_ || s.first != first_ || s.afterKey != afterKey_ ||
            (indent_ >= 0 && s.depth != depth_)) {
            return false;
        }
        put(s.bytes);
        depth_ = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(depth_) + s.depthDelta);
        first_ = s.firstAfter;
        afterKey_ = s.afterKeyAfter;
        return true;
    }
    struct Mark {
        std::size_t used;
        std::size_t depth;
        bool first;
        bool afterKey;
    };
    Mark mark() const { return {used_, depth_, first_, afterKey_}; }
    /// Records what was written since m into s.
    void record(Segment& s, const Mark& m) const {
        s.valid = false;  // valid only once complete (an allocation failure leaves it unused)
        s.bytes.assign(out_.data() + m.used, used_ - m.used);
        s.indent = indent_;
        s.depth = m.depth;
        s.first = m.first;
        s.afterKey = m.afterKey;
        s.depthDelta = static_cast<std::ptrdiff_t>(depth_) - static_cast<std::ptrdiff_t>(m.depth);
        s.firstAfter = first_;
        s.afterKeyAfter = afterKey_;
        s.valid = true;
    }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    /// Keys are the contract's ASCII field names: nothing to escape.
    void key(std::string_view k) {
        separator();
        char* p = room(k.size() + 4);
        *p++ = '"';
        std::memcpy(p, k.data(), k.size());
        p += k.size();
        *p++ = '"';
        *p++ = ':';
        if (indent_ >= 0) *p++ = ' ';
        used_ = static_cast<std::size_t>(p - out_.data());
        afterKey_ = true;
    }

    void value(std::string_view s) {
        separator();
        string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        separator();
        put(b ? std::string_view("true") : std::string_view("false"));
    }
    void null() {
        separator();
        put("null");
    }
    /// Rounded to 6 decimals so last-bit differences between libm versions cannot change the
    /// bytes of a report; written like nlohmann (at least one decimal, "-0" never).
    void number(double x) {
        char buf[64];
        raw(std::string_view(buf, formatNumber(x, buf)));
    }
    /// Text of number(x) (null when not finite).
    static std::size_t formatNumber(double x, char (&buf)[64]) {
        if (!std::isfinite(x)) {
            std::memcpy(buf, "null", 4);
            return 4;
        }
        double r = std::round(x * 1e6) / 1e6;
        if (r == 0.0) {
            r = 0.0;
        }
        int n = 0;
        if (std::fabs(r) < 1e12) {
            // Same digits as "%.6f" without the locale-aware printf machinery.
            auto micro = static_cast<long long>(std::llround(std::fabs(r) * 1e6));
            if (r < 0) {
                buf[n++] = '-';
            }
            char digits[24];
            int nd = 0;
            long long whole = micro / 1000000;
            do {
                digits[nd++] = static_cast<char>('0' + whole % 10);
                whole /= 10;
            } while (whole != 0);
            while (nd > 0) {
                buf[n++] = digits[--nd];
            }
            buf[n++] = '.';
            // Six fraction digits, two at a time (constant divisors compile to multiplications).
            auto frac = static_cast<unsigned>(micro % 1000000);
            std::memcpy(buf + n, kPairs + 2 * (frac / 10000), 2);
            std::memcpy(buf + n + 2, kPairs + 2 * (frac / 100 % 100), 2);
            std::memcpy(buf + n + 4, kPairs + 2 * (frac % 100), 2);
            n += 6;
        } else {
            n = std::snprintf(buf, sizeof buf, "%.6f", r);
            n = std::min(n, static_cast<int>(sizeof buf) - 1);  // (truncated, never overread)
        }
        while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.') {
            --n;
        }
        return static_cast<std::size_t>(n);
    }
    void raw(std::string_view text) {
        separator();
        put(text);
    }
    /// A string known to need no escaping (enum names, decimal digits).
    void plainValue(std::string_view s) {
        separator();
        char* p = room(s.size() + 2);
        *p++ = '"';
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '"';
        used_ += s.size() + 2;
    }

private:
    // Room for n more bytes at the cursor.
    char* room(std::size_t n) {
        if (used_ + n > out_.size()) {
            out_.resize(std::max(out_.size() * 2, used_ + n));
        }
        return out_.data() + used_;
    }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        used_ += s.size();
    }
    void put(char c) {
        *room(1) = c;
        ++used_;
    }
    void newline() {
        if (indent_ >= 0) {
            const std::size_t n = static_cast<std::size_t>(indent_) * depth_;
            char* p = room(n + 1);
            *p = '\n';
            std::memset(p + 1, ' ', n);
            used_ += n + 1;
        }
    }
    void separator() {
        if (afterKey_) {
            afterKey_ = false;
            return;
        }
        if (depth_ > 0) {
            if (!first_) {
                put(',');
            }
            newline();
        }
        first_ = false;
    }
    void open(char c) {
        separator();
        put(c);
        ++depth_;
        first_ = true;
    }
    void close(char c) {
        --depth_;
        if (!first_) {
            newline();  // "[]" and "{}" stay on one line, as in nlohmann
        }
        put(c);
        first_ = false;
    }
    // Length of the leading run of s that needs no escaping.
    static std::size_t plainRun(const char* p, const char* end) {
        const char* start = p;
#if defined(__SSE2__)
        // 16 bytes at a time: '"', '\\' or a control character (unsigned <= 0x1f) stops the run.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i control = _mm_set1_epi8(0x1f);
        while (end - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i hit =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                             _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
            const int mask = _mm_movemask_epi8(hit);
            if (mask != 0) {
                return static_cast<std::size_t>(p - start) +
                       static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
            }
            p += 16;
        }
#endif
        while (p != end && !kNeedsEscape[static_cast<unsigned char>(*p)]) {
            ++p;
        }
        return static_cast<std::size_t>(p - start);
    }
    void string(std::string_view s) {
        // Quotes and the plain text in one copy when nothing needs escaping (almost always).
        const char* p = s.data();
        const char* end = p + s.size();
        std::size_t run = plainRun(p, end);
        char* out = room(run + 2);
        *out++ = '"';
        std::memcpy(out, p, run);
        used_ += run + 1;
        p += run;
        while (p != end) {
            escape(static_cast<unsigned char>(*p++));
            run = plainRun(p, end);
            put(std::string_view(p, run));
            p += run;
        }
        put('"');
    }
    void escape(unsigned char c) {
        switch (c) {
            case '"':
                put("\\\"");
                break;
            case '\\':
                put("\\\\");
                break;
            case '\b':
                put("\\b");
                break;
            case '\f':
                put("\\f");
                break;
            case '\n':
                put("\\n");
                break;
            case '\r':
                put("\\r");
                break;
            case '\t':
                put("\\t");
                break;
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                put(std::string_view(buf));
            }
        }
    }

    static constexpr std::array<bool, 256> kNeedsEscape = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 0x20; ++c) {
            t[static_cast<std::size_t>(c)] = true;
        }
        t['"'] = true;
        t['\\'] = true;
        return t;
    }();

    static std::string& scratch() {
        static thread_local std::string buffer;
        return buffer;
    }
    static std::size_t& lastSize() {
        static thread_local std::size_t size = 0;
        return size;
    }

    std::string& dest_;
    std::size_t start_ = 0;
    std::string out_;
    std::size_t used_ = 0;
    int indent_;
    std::size_t depth_ = 0;
    bool first_ = true;
    bool afterKey_ = false;
};

using detail::formatDecimal;
using detail::formatSmall;
using detail::smallInt;
using detail::SmallInt;

// A record repeats few distinct intervals (a stage's flop in its methods, the total in most
// counted_flop fields), so each distinct one is written once per document and its bytes copied
// after that. Only intervals of whole numbers below 2^128 are cached: their identity is three
// exact 128-bit comparisons.
class IntervalCache {
public:
    void clear() { used_ = 0; }
    /// Writes the bytes of an entry with this key recorded in w's layout state, if any.
    bool replay(const SmallInt (&key)[3], Writer& w) {
        for (std::size_t i = 0; i < used_; ++i) {
            Entry& e = entries_[i];
            if (e.key[0] == key[0] && e.key[1] == key[1] && e.key[2] == key[2] &&
                w.replay(e.segment)) {
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
    Segment head;
    bool hasThreshold = false;
    SmallInt threshold;
    std::string comparator;
    Segment limit;
    std::vector<std::string> missing, notes;
    Segment tail;
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
        e.text = detail::formatExactText(v);
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

ThreadCaches& threadCaches() {
    static thread_local ThreadCaches caches;
    return caches;
}

// An exact number as a JSON string: whole numbers below 2^128 (almost every FLOP value) and
// short terminating fractions from the limbs, anything else through formatExact (big-integer
// division), at most once per distinct value and document.
void writeExact(Writer& w, ThreadCaches* caches, const Exact& v) {
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
void writeNumber(Writer& w, ThreadCaches* caches, double x) {
    if (caches == nullptr) {
        w.number(x);
        return;
    }
    w.raw(caches->numberText(x));
}

struct Context {
    Writer w;
    ThreadCaches* caches;  // nullptr: write everything directly
    Context(std::string& out, int indent) : w(out, indent) {
        ThreadCaches& t = threadCaches();
        caches = t.busy ? nullptr : &t;
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

void writeIntervalDirect(Context& c, const Interval& v) {
    Writer& w = c.w;
    w.beginObject();
    w.key("low");
    writeExact(w, c.caches, v.low);
    w.key("central");
    writeExact(w, c.caches, v.central);
    w.key("high");
    writeExact(w, c.caches, v.high);
    w.endObject();
}

void writeInterval(Context& c, const Interval& v) {
    SmallInt key[3];
    if (c.caches == nullptr || !smallInt(v.low, key[0]) || !smallInt(v.central, key[1]) ||
        !smallInt(v.high, key[2])) {
        writeIntervalDirect(c, v);
        return;
    }
    IntervalCache& cache = c.caches->intervals;
    if (cache.replay(key, c.w)) {
        return;
    }
    const Writer::Mark m = c.w.mark();
    writeIntervalDirect(c, v);
    c.w.record(cache.add(key), m);
}

// A lower bound (contract 7.3): "high" is null.
void writeBoundInterval(Context& c, const Interval& v, bool unbounded) {
    if (!unbounded) {
        writeInterval(c, v);
        return;
    }
    Writer& w = c.w;
    w.beginObject();
    w.key("low");
    writeExact(w, c.caches, v.low);
    w.key("central");
    writeExact(w, c.caches, v.central);
    w.key("high");
    w.null();
    w.endObject();
}

void writeStrings(Writer& w, const std::vector<std::string>& items);

// Contract 7.1: where the stage's value comes from and the defaults applied to it.
void writeProvenance(Context& c, const ModelEstimate& e, const StageEstimate& s) {
    Writer& w = c.w;
    const StageProvenance p = stageProvenance(e, s);
    w.key("origin");
    if (!s.method) {
        w.null();  // no value: undisclosed or not estimable
        if (s.stage != nullptr && s.stage->undisclosed) {
            w.key("undisclosed");
            w.value(true);
        }
    } else {
        w.value(toString(p.origin));
    }
    if (p.origin == Origin::ThirdParty) {
        w.key("estimator");
        w.value(p.estimator);
        w.key("confidence");
        w.value(p.confidence);
    }
    if (p.origin != Origin::Computed && !p.source.empty()) {
        w.key("source");
        w.value(p.source);
    }
    w.key("assumptions");
    writeStrings(w, p.assumptions);
}

void writeWarning(Context& c, const Diagnostic& d) {
    c.w.beginObject();
    c.w.key("code");
    c.w.value(codeText(d.code));
    c.w.key("name");
    c.w.value(codeName(d.code));
    if (!d.pointer.empty()) {
        c.w.key("pointer");
        c.w.value(d.pointer);
    }
    c.w.key("message");
    c.w.value(d.message);
    c.w.endObject();
}

void writeStage(Context& c, const ModelEstimate& e, const StageEstimate& s) {
    Writer& w = c.w;
    w.beginObject();
    w.key("kind");
    w.value(toString(s.kind));
    w.key("label");
    w.value(s.label);
    w.key("method");
    if (s.method) {
        w.value(toString(*s.method));
    } else {
        w.null();
    }
    w.key("flop");
    writeInterval(c, s.flop);
    w.key("methods");
    w.beginObject();
    for (int m = 0; m < kMethodCount; ++m) {
        const auto& value = s.methods[static_cast<std::size_t>(m)];
        if (value) {
            w.key(toString(static_cast<Method>(m)));
            writeInterval(c, *value);
        }
    }
    w.endObject();
    if (s.impliedUtilization) {
        w.key("implied_utilization");
        writeInterval(c, *s.impliedUtilization);
    }
    if (s.recomputeFlop) {
        w.key("recompute_flop");
        writeInterval(c, *s.recomputeFlop);
    }
    if (s.stage != nullptr && s.kind == StageKind::SyntheticData && s.stage->isPublic) {
        w.key("public");
        w.value(*s.stage->isPublic);
    }
    writeProvenance(c, e, s);
    w.endObject();
}

// The estimate fields; the caller closes the object (assess appends its fields first).
void writeEstimateFields(Context& c, const RecordAssessment& r) {
    Writer& w = c.w;
    w.beginObject();
    w.key("id");
    w.value(r.id());
    if (r.isCluster()) {
        w.key("name");
        w.value(std::get<ClusterRecord>(*r.record).name);
        w.key("type");
        w.value("cluster");
        return;
    }
    w.key("name");
    w.value(std::get<ModelRecord>(*r.record).name);
    if (!r.estimate) {
        return;
    }
    const ModelEstimate& e = *r.estimate;
    w.key("convention");
    w.value(toString(e.convention));
    const bool lowerBound =
        e.stages.empty() || std::any_of(e.stages.begin(), e.stages.end(),
                                        [](const StageEstimate& s) { return !s.method; });
    w.key("total");
    writeBoundInterval(c, e.total, lowerBound);
    if (lowerBound) {
        w.key("lower_bound");
        w.value(true);
    }
    if (const auto rep = compareReported(e)) {
        w.key("reported");
        w.beginObject();
        w.key("training_flop");
        writeExact(w, c.caches, rep->trainingFlop);
        w.key("source");
        w.value(rep->source);
        w.key("ratio");
        writeNumber(w, c.caches, rep->ratio);
        if (!rep->explanation.empty()) {
            w.key("explanation");
            w.value(rep->explanation);
        }
        w.endObject();
    }
    w.key("stages");
    w.beginArray();
    for (const auto& s : e.stages) {
        writeStage(c, e, s);
    }
    w.endArray();
    w.key("warnings");
    w.beginArray();
    for (const auto& d : e.warnings) {
        writeWarning(c, d);
    }
    w.endArray();
}

void writeStrings(Writer& w, const std::vector<std::string>& items) {
    w.beginArray();
    for (const auto& s : items) {
        w.value(s);
    }
    w.endArray();
}

// The verdict's head up to the "status" key.
void writeHead(Writer& w, const Verdict& v) {
    w.beginObject();
    w.key("policy");
    w.value(v.policy);
    w.key("title");
    w.value(v.title);
    w.key("in_force");
    w.value(v.inForce);
    w.key("legal_status");
    w.value(v.legalStatus);
    w.key("status");
}

// The threshold, the comparator and the "margin_log10" key.
void writeLimit(Writer& w, const Verdict& v) {
    w.key("threshold");
    if (v.threshold) {
        writeExact(w, nullptr, *v.threshold);
    } else {
        w.null();
    }
    w.key("comparator");
    w.value(v.comparator);
    w.key("margin_log10");
}

// The missing inputs and the notes, and the end of the verdict.
void writeTail(Writer& w, const Verdict& v) {
    w.key("missing");
    writeStrings(w, v.missing);
    w.key("notes");
    writeStrings(w, v.notes);
    w.endObject();
}

void writeDynamic(Context& c, const Verdict& v) {
    Writer& w = c.w;
    w.plainValue(toString(v.status));
    w.key("counted_flop");
    if (v.countedFlop) {
        writeBoundInterval(c, *v.countedFlop, v.lowerBound && v.assumptions.empty());
    } else {
        w.null();
    }
}

void writeChance(Context& c, const Verdict& v) {
    Writer& w = c.w;
    if (v.marginLog10) {
        writeNumber(w, c.caches, *v.marginLog10);
    } else {
        w.null();
    }
    w.key("probability");
    if (v.probability) {
        writeNumber(w, c.caches, *v.probability);
    } else {
        w.null();
    }
}

// Contract 7.3-7.5: why the verdict came out and what a lower bound would need.
void writeExplained(Context& c, const Verdict& v) {
    Writer& w = c.w;
    w.key("compute_status");
    if (v.computeStatus) {
        w.plainValue(toString(*v.computeStatus));
    } else {
        w.null();
    }
    w.key("reason");
    w.value(v.reason);
    if (v.lowerBound) {
        w.key("lower_bound");
        w.value(true);
        w.key("disclosed_status");
        if (v.disclosedStatus) {
            w.plainValue(toString(*v.disclosedStatus));
        } else {
            w.null();
        }
        if (v.crossingFlop) {
            w.key("crossing_flop");
            writeExact(w, c.caches, *v.crossingFlop);
            w.key("crossing_ratio");
            if (v.crossingRatio) {
                writeNumber(w, c.caches, *v.crossingRatio);
            } else {
                w.null();
            }
        }
    }
    w.key("assumptions");
    writeStrings(w, v.assumptions);
}

void writeVerdict(Context& c, VerdictCache* cache, const Verdict& v) {
    Writer& w = c.w;
    w.flushSome();
    if (cache == nullptr) {
        writeHead(w, v);
        writeDynamic(c, v);
        writeLimit(w, v);
        writeChance(c, v);
        writeExplained(c, v);
        writeTail(w, v);
        return;
    }
    // Each cached run is reused only when every input it was made from is equal.
    if (!(cache->inForce == v.inForce && cache->policy == v.policy && cache->title == v.title &&
          cache->legalStatus == v.legalStatus && w.replay(cache->head))) {
        // Keys first, bytes last: a failure in between leaves the run invalid, never stale.
        cache->head.valid = false;
        const Writer::Mark m = w.mark();
        writeHead(w, v);
        cache->policy = v.policy;
        cache->title = v.title;
        cache->inForce = v.inForce;
        cache->legalStatus = v.legalStatus;
        w.record(cache->head, m);
    }
    writeDynamic(c, v);
    SmallInt threshold;
    const bool small = v.threshold && smallInt(*v.threshold, threshold);
    if (!((small || !v.threshold) && cache->hasThreshold == small &&
          (!small || cache->threshold == threshold) && cache->comparator == v.comparator &&
          w.replay(cache->limit))) {
        cache->limit.valid = false;
        const Writer::Mark m = w.mark();
        writeLimit(w, v);
        if (small || !v.threshold) {  // (a fraction or a huge threshold is not cached)
            cache->hasThreshold = small;
            cache->threshold = threshold;
            cache->comparator = v.comparator;
            w.record(cache->limit, m);
        }
    }
    writeChance(c, v);
    writeExplained(c, v);
    if (!(cache->missing == v.missing && cache->notes == v.notes && w.replay(cache->tail))) {
        cache->tail.valid = false;
        const Writer::Mark m = w.mark();
        writeTail(w, v);
        cache->missing = v.missing;
        cache->notes = v.notes;
        w.record(cache->tail, m);
    }
}

}  // namespace

std::string intervalJson(const Interval& value) {
    std::string out;
    {
        Context c(out, -1);
        writeInterval(c, value);
    }
    return out;
}

void appendEstimateJson(std::string& out, const RecordAssessment& result, int indent) {
    Context c(out, indent);
    writeEstimateFields(c, result);
    c.w.endObject();
}

std::string estimateJson(const RecordAssessment& result, int indent) {
    std::string out;
    appendEstimateJson(out, result, indent);
    return out;
}

std::string assessJson(const RecordAssessment& result, std::size_t dateIndex, int indent) {
    std::string out;
    appendAssessJson(out, result, dateIndex, indent);
    return out;
}

void appendAssessJson(std::string& out, const RecordAssessment& result, std::size_t dateIndex,
                      int indent) {
    Context c(out, indent);
    writeEstimateFields(c, result);
    const DatedVerdicts& d = result.dates.at(dateIndex);
    c.w.key("as_of");
    if (c.caches == nullptr) {
        c.w.value(d.asOf.toIsoDay());
    } else {
        ThreadCaches& t = *c.caches;
        if (t.dayText.empty() || t.year != d.asOf.year || t.month != d.asOf.month ||
            t.day != d.asOf.day) {
            t.dayText = d.asOf.toIsoDay();
            t.year = d.asOf.year;
            t.month = d.asOf.month;
            t.day = d.asOf.day;
        }
        c.w.value(t.dayText);
    }
    c.w.key("verdicts");
    c.w.beginArray();
    std::vector<VerdictCache>* caches = nullptr;
    if (c.caches != nullptr) {
        auto& all = c.caches->verdicts;
        if (all.size() <= dateIndex) {
            all.resize(dateIndex + 1);
        }
        caches = &all[dateIndex];
        if (caches->size() < d.verdicts.size()) {
            caches->resize(d.verdicts.size());
        }
    }
    for (std::size_t i = 0; i < d.verdicts.size(); ++i) {
        writeVerdict(c, caches != nullptr ? &(*caches)[i] : nullptr, d.verdicts[i]);
    }
    c.w.endArray();
    c.w.endObject();
}

std::string jsonArrayElement(const std::string& prettyObject) {
    std::string out;
    out.reserve(prettyObject.size() + prettyObject.size() / 8 + 2);
    out += "  ";
    std::size_t run = 0;
    for (std::size_t i = 0; i < prettyObject.size(); ++i) {
        if (prettyObject[i] == '\n') {
            out.append(prettyObject, run, i + 1 - run);
            out += "  ";
            run = i + 1;
        }
    }
    out.append(prettyObject, run, std::string::npos);
    return out;
}

std::string jsonDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out = "[";
    bool first = true;
    auto add = [&](const std::string& pretty) {
        out += first ? "\n" : ",\n";
        first = false;
        out += jsonArrayElement(pretty);
    };
    for (const auto& r : results) {
        if (!evaluate) {
            add(estimateJson(r, 2));
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            add(assessJson(r, i, 2));
        }
    }
    out += first ? "]\n" : "\n]\n";
    return out;
}

std::string jsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out;
    for (const auto& r : results) {
        if (!evaluate) {
            appendEstimateJson(out, r, -1);
            out += '\n';
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            appendAssessJson(out, r, i, -1);
            out += '\n';
        }
    }
    return out;
}

}  // namespace flopledger
