// libFuzzer target: see fuzz_entry_points.hpp for what is checked.
#include "fuzz_entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    flopledger::fuzz::recordFromFlagsOne(data, size);
    return 0;
}
