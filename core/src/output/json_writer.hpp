#pragma once
// Private to the JSON output (assessment_json.cpp): a writer through a raw cursor whose layout
// matches nlohmann::json's dump() (compact, or pretty with an indent), and the byte segments it
// can record and replay.
#include "base/number_text.hpp"
#include "output/string_growth.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopledger::inline v1::detail::jsonout {

// "00" to "99": two decimal digits per table lookup.
inline constexpr char kPairs[] =
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

// Writes through a raw cursor straight into the caller's string (grown without zero-filling:
// string_growth.hpp), so the many small pieces of a document (keys, punctuation, short values)
// cost a bounds check and a copy each instead of std::string's append machinery, and the
// document's bytes are written once (no scratch buffer copied to the destination afterwards).
// While the writer lives, the string's size is the room grown so far; the destructor cuts it
// to what was written. Nothing else may touch the string meanwhile.
class Writer {
public:
    Writer(std::string& dest, int indent) : out_(dest), indent_(indent) {
        // Room for a document like this thread's previous one (the stream engine reserved the
        // batch's capacity, so this normally allocates nothing).
        start_ = out_.size();
        used_ = start_;
        growUninitialized(out_, start_ + lastSize() + lastSize() / 8 + 256);
    }
    /// A writer inside another's document (a short piece) into a string of its own.
    struct Nested {};
    Writer(std::string& dest, int indent, Nested) : out_(dest), indent_(indent), nested_(true) {
        start_ = out_.size();
        used_ = start_;
        growUninitialized(out_, start_ + 256);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        out_.resize(used_);  // (shrinks: nothing written)
        if (!nested_) {
            lastSize() = used_ - start_;
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

    /// No indentation: a value's bytes do not depend on its depth (raw() may write a whole
    /// object or array).
    bool compact() const { return indent_ < 0; }

    /// Compact output right after a key: a value and the members after it as one run, ending
    /// with a key (endsWithKey) or a value; false (nothing written) otherwise.
    bool valueRun(std::string_view bytes, bool endsWithKey) {
        if (indent_ >= 0 || !afterKey_) return false;
        put(bytes);
        afterKey_ = endsWithKey;
        return true;
    }
    /// Compact output after a member's value: members from their comma as one run, ending
    /// with a key (endsWithKey) or a value; false (nothing written) otherwise.
    bool run(std::string_view bytes, bool endsWithKey) {
        if (indent_ >= 0 || first_ || afterKey_ || depth_ == 0) return false;
        put(bytes);
        afterKey_ = endsWithKey;
        return true;
    }

    /// run() ending with a key that opens an object first when `opens` (the bytes then hold its
    /// '{' and first key: ,"methods":{"six-nd":), otherwise a key of the same object.
    bool keyRun(std::string_view bytes, bool opens) {
        if (indent_ >= 0 || first_ || afterKey_ || depth_ == 0) return false;
        put(bytes);
        if (opens) ++depth_;
        afterKey_ = true;
        return true;
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

    /// key(name) for a member that is not its object's first, given as the literal ,"name":
    /// (compact output writes it in one constant-size copy).
    template <std::size_t N>
    [[gnu::always_inline]] void member(const char (&text)[N]) {
        if (indent_ < 0 && !first_ && !afterKey_ && depth_ > 0) {
            std::memcpy(room(N - 1), text, N - 1);
            used_ += N - 1;
            afterKey_ = true;
            return;
        }
        key(std::string_view(text + 2, N - 5));
    }

    void value(std::string_view s) {
        separator();
        string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        if (b) {
            literal("true");
        } else {
            literal("false");
        }
    }
    void null() { literal("null"); }
    /// A constant value's bytes ("[]", "0.0"): one fixed-size copy.
    template <std::size_t N>
    [[gnu::always_inline]] void literal(const char (&text)[N]) {
        separator();
        std::memcpy(room(N - 1), text, N - 1);
        used_ += N - 1;
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
            // std::to_chars: locale-independent (printf would write a host's decimal comma).
            const auto res =
                std::to_chars(buf, buf + sizeof buf - 1, r, std::chars_format::fixed, 6);
            if (res.ec != std::errc()) {
                // Beyond 63 characters in fixed notation: the shortest exact form ("1e+300").
                return static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf - 1, r).ptr -
                                                buf);
            }
            n = static_cast<int>(res.ptr - buf);
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
    // Room for n more bytes at the cursor (inlined: every piece of a document asks).
    [[gnu::always_inline]] char* room(std::size_t n) {
        if (used_ + n > out_.size()) [[unlikely]] {
            grow(n);
        }
        return out_.data() + used_;
    }
    [[gnu::noinline]] void grow(std::size_t n) {
        // At least half as much again as written so far (amortised), never zero-filled.
        growUninitialized(out_, std::max(used_ + n, out_.size() + (used_ - start_) / 2 + 1024));
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
#if defined(__SSE2__) && FLOPLEDGER_FAST_PATHS
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
        if (p != end && end - start >= 16) {
            // The last bytes in one load of the final 16 (the first 16 - r of them checked
            // already, their bits shifted out) instead of a byte at a time.
            const auto r = static_cast<int>(end - p);
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
            const __m128i hit =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                             _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
            const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit)) >> (16 - r);
            return static_cast<std::size_t>(p - start) +
                   (mask != 0 ? static_cast<std::size_t>(__builtin_ctz(mask))
                              : static_cast<std::size_t>(r));
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

    static std::size_t& lastSize() {
        static thread_local std::size_t size = 0;
        return size;
    }

    std::string& out_;       // the destination; its size is the room grown so far
    std::size_t start_ = 0;  // where this document starts in it
    std::size_t used_ = 0;   // the end of what is written
    int indent_;
    std::size_t depth_ = 0;
    bool first_ = true;
    bool afterKey_ = false;
    bool nested_ = false;
};

using detail::formatDecimal;
using detail::formatSmall;
using detail::smallInt;
using detail::SmallInt;

// A record repeats few distinct intervals (a stage's flop in its methods, the total in most
// counted_flop fields), so each distinct one is written once per document and its bytes copied
// after that. Only intervals of whole numbers below 2^128 are cached: their identity is three

}  // namespace flopledger::inline v1::detail::jsonout
