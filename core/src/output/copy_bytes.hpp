#pragma once
// Private to the output layer: the writers' copy of one piece (a key, a cached cell, a number's
// digits). Most pieces are under 32 bytes, where a call to the library's memcpy (a variable
// size: never inlined) costs more than the copy itself: two overlapping loads and stores do it.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace flopledger::inline v1::detail {

[[gnu::always_inline]] inline void copyBytes(char* dst, const char* src, std::size_t n) {
    if (n <= 16) {
        if (n >= 8) {
            std::uint64_t a = 0, b = 0;
            std::memcpy(&a, src, 8);
            std::memcpy(&b, src + n - 8, 8);
            std::memcpy(dst, &a, 8);
            std::memcpy(dst + n - 8, &b, 8);
        } else if (n >= 4) {
            std::uint32_t a = 0, b = 0;
            std::memcpy(&a, src, 4);
            std::memcpy(&b, src + n - 4, 4);
            std::memcpy(dst, &a, 4);
            std::memcpy(dst + n - 4, &b, 4);
        } else if (n != 0) {
            dst[0] = src[0];
            dst[n / 2] = src[n / 2];
            dst[n - 1] = src[n - 1];
        }
        return;
    }
    if (n <= 32) {
        char a[16], b[16];
        std::memcpy(a, src, 16);
        std::memcpy(b, src + n - 16, 16);
        std::memcpy(dst, a, 16);
        std::memcpy(dst + n - 16, b, 16);
        return;
    }
    std::memcpy(dst, src, n);
}

}  // namespace flopledger::inline v1::detail
