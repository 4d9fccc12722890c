// The contract's JSON output documents (section 5). Field order is fixed and every number is
// formatted deterministically, so identical input gives byte-identical output.
//
// This is the hot path of `assess --format jsonl` (about 10 KB of JSON per record against every
// shipped policy), so objects are written straight into one string instead of being built as a
// DOM first; the layout matches nlohmann::json's dump() (compact, or pretty with an indent).
#include <flopledger/assessment.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopledger {
namespace {

// Writes through a raw cursor into a per-thread scratch buffer that keeps its size between
// documents (no allocation, no zero-filling per record): the many small pieces of a document
// (keys, punctuation, short values) cost a bounds check and a memcpy each instead of
// std::string's append machinery. The document is appended to the caller's string at the end.
class Writer {
public:
    Writer(std::string& dest, int indent) : dest_(dest), indent_(indent) {
        out_.swap(scratch());  // a nested writer would find it empty and grow its own
        if (out_.size() < 16384) {
            out_.resize(16384);
        }
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        dest_.append(out_.data(), used_);
        out_.swap(scratch());
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
        separator();
        if (!std::isfinite(x)) {
            put("null");
            return;
        }
        double r = std::round(x * 1e6) / 1e6;
        if (r == 0.0) {
            r = 0.0;
        }
        char buf[64];
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
            long long frac = micro % 1000000;
            for (long long div = 100000; div > 0; div /= 10) {
                buf[n++] = static_cast<char>('0' + frac / div);
                frac %= div;
            }
        } else {
            n = std::snprintf(buf, sizeof buf, "%.6f", r);
        }
        while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.') {
            --n;
        }
        put(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    void raw(std::string_view text) {
        separator();
        put(text);
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

    std::string& dest_;
    std::string out_;
    std::size_t used_ = 0;
    int indent_;
    std::size_t depth_ = 0;
    bool first_ = true;
    bool afterKey_ = false;
};

__extension__ typedef unsigned __int128 Uint128;

// Boost 1.74 implements == and < on cpp_rational through boost::rational::operator<, a
// continued-fraction walk with big-integer divisions; normalised fractions are equal exactly
// when numerators and denominators are, which is a cheap limb comparison.
bool sameValue(const Exact& a, const Exact& b) {
    const auto& x = a.backend().data();
    const auto& y = b.backend().data();
    return x.denominator() == y.denominator() && x.numerator() == y.numerator();
}

// FLOP values are almost always integers below 2^128 (1e38): those are written digit by digit
// from the limbs; anything else goes through formatExact (big-integer division).
std::string formatExactFast(const Exact& v) {
    const auto& num = v.backend().data().numerator();
    const auto& den = v.backend().data().denominator();
    if (den == 1 && num.sign() >= 0) {
        const auto& backend = num.backend();
        const std::size_t limbs = backend.size();
        static_assert(sizeof(*backend.limbs()) == 8, "64-bit limbs expected");
        if (limbs <= 2) {
            Uint128 x = backend.limbs()[0];
            if (limbs == 2) {
                x |= static_cast<Uint128>(backend.limbs()[1]) << 64;
            }
            // 128-bit division is a library call per digit: peel off 19 digits at a time with
            // one such division, then write each 64-bit chunk with native arithmetic.
            constexpr std::uint64_t kTen19 = 10000000000000000000ULL;
            char buf[48];
            char* p = buf + sizeof buf;
            while (x >= kTen19) {
                std::uint64_t chunk = static_cast<std::uint64_t>(x % kTen19);
                x /= kTen19;
                for (int i = 0; i < 19; ++i) {
                    *--p = static_cast<char>('0' + chunk % 10);
                    chunk /= 10;
                }
            }
            auto rest = static_cast<std::uint64_t>(x);
            do {
                *--p = static_cast<char>('0' + rest % 10);
                rest /= 10;
            } while (rest != 0);
            return std::string(p, static_cast<std::size_t>(buf + sizeof buf - p));
        }
    }
    return formatExact(v);
}

// A record repeats few distinct values (a point interval three times, the total in most
// counted_flop fields), so each distinct value is formatted once per document.
class ExactCache {
public:
    const std::string& get(const Exact& v) {
        // A one-word fingerprint rules out almost every non-matching entry without touching
        // the big integers; equal fingerprints are confirmed exactly.
        const std::uint64_t key = fingerprint(v);
        for (const auto& e : entries_) {
            if (e.key == key && sameValue(e.value, v)) {
                return e.text;
            }
        }
        entries_.push_back({key, v, formatExactFast(v)});
        return entries_.back().text;
    }

private:
    static std::uint64_t fingerprint(const Exact& v) {
        const auto& num = v.backend().data().numerator().backend();
        const auto& den = v.backend().data().denominator().backend();
        std::uint64_t h = num.limbs()[0] * 0x9E3779B97F4A7C15ULL;
        h ^= (static_cast<std::uint64_t>(num.size()) << 1 | (num.sign() ? 1U : 0U)) +
             den.limbs()[0] * 0xC2B2AE3D27D4EB4FULL + den.size();
        return h;
    }
    struct Entry {
        std::uint64_t key;
        Exact value;
        std::string text;
    };
    std::vector<Entry> entries_;
};

struct Context {
    Writer w;
    ExactCache exact;
    Context(std::string& out, int indent) : w(out, indent) {}
};

void writeInterval(Context& c, const Interval& v) {
    c.w.beginObject();
    c.w.key("low");
    c.w.value(c.exact.get(v.low));
    c.w.key("central");
    c.w.value(c.exact.get(v.central));
    c.w.key("high");
    c.w.value(c.exact.get(v.high));
    c.w.endObject();
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

void writeStage(Context& c, const StageEstimate& s) {
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
    w.key("total");
    writeInterval(c, e.total);
    w.key("stages");
    w.beginArray();
    for (const auto& s : e.stages) {
        writeStage(c, s);
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

void writeVerdict(Context& c, const Verdict& v) {
    Writer& w = c.w;
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
    w.value(toString(v.status));
    w.key("counted_flop");
    if (v.countedFlop) {
        writeInterval(c, *v.countedFlop);
    } else {
        w.null();
    }
    w.key("threshold");
    if (v.threshold) {
        w.value(c.exact.get(*v.threshold));
    } else {
        w.null();
    }
    w.key("comparator");
    w.value(v.comparator);
    w.key("margin_log10");
    if (v.marginLog10) {
        w.number(*v.marginLog10);
    } else {
        w.null();
    }
    w.key("probability");
    if (v.probability) {
        w.number(*v.probability);
    } else {
        w.null();
    }
    w.key("missing");
    writeStrings(w, v.missing);
    w.key("notes");
    writeStrings(w, v.notes);
    w.endObject();
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
    c.w.value(d.asOf.toIsoDay());
    c.w.key("verdicts");
    c.w.beginArray();
    for (const auto& v : d.verdicts) {
        writeVerdict(c, v);
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
