// growUninitialized (string_growth.hpp). This file alone is compiled as C++23 where the
// compiler can (core/CMakeLists.txt): std::string::resize_and_overwrite is the standard way to
// grow a string without writing its new bytes; std::string's layout is the same in every
// language mode. Elsewhere, and with FLOPLEDGER_FAST_PATHS=OFF, the bytes are zero-filled.
#include "output/string_growth.hpp"

namespace flopledger::inline v1::detail {

void growUninitialized(std::string& s, std::size_t n) {
#if defined(__cpp_lib_string_resize_and_overwrite) && FLOPLEDGER_FAST_PATHS
    // The new bytes are left as they are: the operation only reports the length.
    s.resize_and_overwrite(n, [](char*, std::size_t length) { return length; });
#else
    s.resize(n);
#endif
}

}  // namespace flopledger::inline v1::detail
