#pragma once
// Private: the byte scan shared by the JSON parser's fast path (io/json_sax.cpp) and the direct
// record reader (records/record_direct.cpp), so both stop at the same bytes.
#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopledger::inline v1::detail {

/// Position of the first byte of `s` at or after `p` that is '"', '\\', a control or non-ASCII
/// (s.size() when there is none): 16 bytes at a time where SSE2 is available.
[[gnu::always_inline]] inline std::size_t skipPlainJson(std::string_view s, std::size_t p) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (p + 16 <= s.size()) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + p));
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" also flags them.
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                         _mm_cmplt_epi8(v, space));
        const int mask = _mm_movemask_epi8(special);
        if (mask != 0) return p + static_cast<std::size_t>(__builtin_ctz(mask));
        p += 16;
    }
#endif
    while (p < s.size()) {
        const auto c = static_cast<unsigned char>(s[p]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p;
    }
    return p;
}

}  // namespace flopledger::inline v1::detail
