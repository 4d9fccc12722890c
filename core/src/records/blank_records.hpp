#pragma once
// Private to the record reader: empty records to copy from. Value-initialising a ModelRecord
// (`Record r;`, 12 KB) or an Architecture (`optional::emplace()`, 11 KB) zero-fills the whole
// object before its constructors run, because their default constructors are implicit; a copy
// of an empty one only copies the members' empty states (disengaged optionals, empty strings).
// The result is the same object either way, so this is no fast path with a switch.
#include <flopledger/record.hpp>

namespace flopledger::inline v1::detail::rec {

inline const ModelRecord& blankModel() {
    static const ModelRecord blank;
    return blank;
}
inline const Architecture& blankArchitecture() {
    static const Architecture blank;
    return blank;
}
inline const Stage& blankStage() {
    static const Stage blank;
    return blank;
}

}  // namespace flopledger::inline v1::detail::rec
