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

}  // namespace flopledger::inline v1::detail
