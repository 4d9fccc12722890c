#pragma once
// Private to the output layer: growing a std::string whose new bytes the caller overwrites
// before anyone reads them, without zero-filling them first. The JSON writer and the CSV rows
// write straight into the caller's string (the stream engine's batch) through a raw cursor;
// std::string::resize would write every byte twice (zeros, then the text), and a scratch
// buffer copied in pieces would too.
#include <cstddef>
#include <string>

namespace flopledger::inline v1::detail {

/// Sets s.size() to n >= s.size(). The bytes [old size, n) are indeterminate (zeros when the
/// library cannot leave them alone, and with FLOPLEDGER_FAST_PATHS=OFF): the caller writes them
/// before reading or shrinks s back with resize().
void growUninitialized(std::string& s, std::size_t n);

}  // namespace flopledger::inline v1::detail
