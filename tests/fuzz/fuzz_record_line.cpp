// libFuzzer target: see fuzz_entry_points.hpp for what is checked.
#include "fuzz_entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    flopledger::fuzz::recordLineOne(data, size);
    return 0;
}
