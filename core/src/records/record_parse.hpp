#pragma once
// Private: RecordReader::parseLine with the record built in shared storage. The streaming
// engine shares every record it assesses; building it in the shared_ptr's block saves moving
// the (12 KB) record into one afterwards and destroying the moved-from shell.
#include <flopledger/record_reader.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace flopledger::inline v1::detail {

/// parseLine(line, fileName, lineNumber) in a shared_ptr; throws as parseLine does.
std::shared_ptr<Record> parseLineShared(const RecordReader& reader, std::string_view line,
                                        const std::string& fileName, std::size_t lineNumber);

/// The same, built in `spare`'s record when nothing else holds it (spare.use_count() == 1):
/// the record is reset to an empty model first, so its storage (the 12 KB block, the stages'
/// and strings' buffers) is reused instead of freed and allocated again. `spare` is left empty.
/// Without the fast paths (or without a free spare) a fresh record is built.
std::shared_ptr<Record> parseLineShared(const RecordReader& reader, std::string_view line,
                                        const std::string& fileName, std::size_t lineNumber,
                                        std::shared_ptr<Record>& spare);

}  // namespace flopledger::inline v1::detail
