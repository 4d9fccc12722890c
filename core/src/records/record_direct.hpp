#pragma once
// Private to the record reader: one JSON Lines model record read straight from its text into a
// ModelRecord, without the JSON document and RecordBuilder's walk over it (a fast path).
#include <flopledger/record_reader.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace flopledger::inline v1::detail::rec {

/// Reads `line` into `m` (a blank model record) when the line is a well-formed model record of
/// the common shape whose every field passes its checks: the same record RecordBuilder makes.
/// False on anything else (unusual fields, escapes, intervals out of order, any error, JSON
/// syntax): `m` is then partly written, and the caller resets it and takes the reference path,
/// which gives the record or the diagnostic. Only called with the fast paths on.
bool readModelLineDirect(std::string_view line, const ReadLimits& limits, const std::string& file,
                         std::size_t lineNumber, ModelRecord& m);

}  // namespace flopledger::inline v1::detail::rec
