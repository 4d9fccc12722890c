#pragma once
// Private to the output layer: a raw cursor over a buffer that keeps its size between records
// (the caller's per-thread scratch), for writers that put many short pieces (CSV rows, the text
// table's fields): a bounds check and a memcpy per piece instead of std::string's append, and
// no zero-filling, since the buffer is resized only when it grows. The bytes written are
// view(); the caller copies them where they belong.
#include "base/number_text.hpp"
#include "output/copy_bytes.hpp"
#include "output/string_growth.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopledger::inline v1::detail {

class ByteSink {
public:
    /// Writes into `buffer` from its start (its former bytes are overwritten).
    explicit ByteSink(std::string& buffer) : buf_(buffer) {
        if (buf_.size() < 4096) {
            buf_.resize(4096);
        }
        cur_ = buf_.data();
        end_ = cur_ + buf_.size();
    }
    /// Appends to `dest` in place (after its bytes, which stay): dest is grown without
    /// zero-filling (string_growth.hpp) and cut to what was written when the sink goes away, so
    /// the bytes are written once, not into a scratch buffer and copied. Nothing else may touch
    /// dest meanwhile; view() and clear() are not for this mode.
    struct Append {};
    ByteSink(std::string& dest, Append) : buf_(dest), appending_(true) {
        const std::size_t start = buf_.size();
        growUninitialized(buf_, start + kAppendStep);
        cur_ = buf_.data() + start;
        end_ = buf_.data() + buf_.size();
    }
    ~ByteSink() {
        if (appending_) {
            buf_.resize(size());  // (shrinks: nothing written)
        }
    }
    ByteSink(const ByteSink&) = delete;
    ByteSink& operator=(const ByteSink&) = delete;

    /// Room for n more bytes at the cursor (advance() by what was written).
    char* room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - cur_) < n) {
            grow(n);
        }
        return cur_;
    }
    void advance(std::size_t n) { cur_ += n; }
    /// Starts again at the buffer's start.
    void clear() { cur_ = buf_.data(); }
    void put(std::string_view s) {
        copyBytes(room(s.size()), s.data(), s.size());
        cur_ += s.size();
    }
    void put(char c) {
        *room(1) = c;
        ++cur_;
    }
    void append(const char* p, std::size_t n) { put(std::string_view(p, n)); }
    /// formatExact's text of v (appendExact's bytes).
    void putExact(const Exact& v) {
        SmallInt x;
        char buf[48];
        std::size_t len = 0;
        if (smallInt(v, x)) {
            put(std::string_view(buf, formatSmall(x, buf)));
        } else if (formatDecimal(v, buf, len)) {
            put(std::string_view(buf, len));
        } else {
            put(formatExactText(v));
        }
    }
    std::size_t size() const { return static_cast<std::size_t>(cur_ - buf_.data()); }
    std::string_view view() const { return {buf_.data(), size()}; }

private:
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t used = size();
        // Appending: steps of a record's size (the string's own capacity doubles when it
        // reallocates); a scratch buffer doubles. The new bytes are written before being read.
        growUninitialized(buf_, appending_ ? used + std::max(n, kAppendStep)
                                           : std::max(buf_.size() * 2, used + n));
        cur_ = buf_.data() + used;
        end_ = buf_.data() + buf_.size();
    }
    static constexpr std::size_t kAppendStep = 16384;
    std::string& buf_;
    char* cur_ = nullptr;
    char* end_ = nullptr;
    bool appending_ = false;
};

// What csvField (report.cpp: appendCsvField) does to a text, found in one pass: kCsvQuote when it
// is quoted (a comma, quote, CR or LF), kCsvControl when a byte needs a control picture.
inline constexpr unsigned kCsvQuote = 1;
inline constexpr unsigned kCsvControl = 2;

inline unsigned csvByteNeeds(unsigned char c) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return kCsvQuote;
    }
    return (c < 0x20 && c != '\t') || c == 0x7f ? kCsvControl : 0;
}

inline unsigned csvNeeds(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    unsigned needs = 0;
#if defined(__SSE2__) && FLOPLEDGER_FAST_PATHS
    // 16 bytes at a time; the few candidates (a control, '"', ',' or DEL) are looked at one by one.
    const __m128i control = _mm_set1_epi8(0x1f);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i del = _mm_set1_epi8(0x7f);
    // One bit per byte of the 16 at `at` that may need quoting.
    const auto candidates = [&](const unsigned char* at) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, comma)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, del),
                                      _mm_cmpeq_epi8(_mm_max_epu8(v, control), control)));
        return static_cast<unsigned>(_mm_movemask_epi8(hit));
    };
    while (end - p >= 16) {
        auto mask = candidates(p);
        while (mask != 0) {
            needs |= csvByteNeeds(p[__builtin_ctz(mask)]);
            mask &= mask - 1;
        }
        p += 16;
    }
    if (p != end && text.size() >= 16) {
        // The last bytes in one load of the final 16: bytes seen twice change nothing (or).
        auto mask = candidates(end - 16);
        while (mask != 0) {
            needs |= csvByteNeeds(end[-16 + __builtin_ctz(mask)]);
            mask &= mask - 1;
        }
        p = end;
    }
#endif
    for (; p != end; ++p) {
        needs |= csvByteNeeds(*p);
    }
    return needs;
}

/// Text inside a CSV field: each quote doubled when `quoted` (there is none otherwise).
template <class Out>
void putCsvBody(Out& out, std::string_view text, bool quoted) {
    if (quoted) {
        for (std::size_t q = text.find('"'); q != std::string_view::npos; q = text.find('"')) {
            out.append(text.data(), q + 1);
            out.append("\"", 1);
            text.remove_prefix(q + 1);
        }
    }
    out.append(text.data(), text.size());
}

/// The bytes of csvField(joined(items, "; ")) when no item has a kCsvControl byte (returns false,
/// having written nothing, otherwise).
template <class Out>
bool putCsvList(Out& out, const std::vector<std::string>& items) {
    unsigned needs = 0;
    for (const auto& item : items) {
        needs |= csvNeeds(item);
    }
    if ((needs & kCsvControl) != 0) {
        return false;
    }
    const bool quoted = (needs & kCsvQuote) != 0;
    if (quoted) {
        out.append("\"", 1);
    }
    bool any = false;  // (joined() puts no separator after leading empty items)
    for (const auto& item : items) {
        if (any) {
            out.append("; ", 2);
        }
        putCsvBody(out, item, quoted);
        any = any || !item.empty();
    }
    if (quoted) {
        out.append("\"", 1);
    }
    return true;
}

// fixed6(x)'s bytes (std::to_chars, fixed, 6 decimals: x's exact binary value correctly
// rounded, "-0.000000" written "0.000000") without to_chars' general algorithm: n = x * 10^6
// rounded is the answer when fma shows the exact x * 10^6 - n well inside (-1/2, 1/2); false
// otherwise (near a tie, large or not finite), and the caller takes fixed6.
inline bool fixed6Fast(double x, std::string& out) {
    if (!(std::fabs(x) < 1e9)) {
        return false;
    }
    const double n = std::nearbyint(x * 1e6);
    if (!(std::fabs(std::fma(x, 1e6, -n)) < 0.49)) {
        return false;
    }
    const auto magnitude = static_cast<std::uint64_t>(std::fabs(n));
    char buf[32];
    char* end = buf + sizeof buf;
    char* p = end;
    std::uint64_t frac = magnitude % 1000000;
    for (int i = 0; i < 6; ++i) {
        *--p = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    *--p = '.';
    std::uint64_t whole = magnitude / 1000000;
    do {
        *--p = static_cast<char>('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    if (n < 0) {
        *--p = '-';  // (n == 0 has no sign: fixed6 turns "-0.000000" into "0.000000")
    }
    out.assign(p, static_cast<std::size_t>(end - p));
    return true;
}

}  // namespace flopledger::inline v1::detail
