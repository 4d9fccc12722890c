#pragma once
// Private: a small RFC 4180 CSV reader (quoted fields, doubled quotes, embedded newlines, CRLF).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

struct CsvRow {
    std::vector<std::string> fields;
    std::size_t line = 0;  ///< 1-based line where the row starts
};

class CsvReader {
public:
    explicit CsvReader(std::string_view text);
    /// Reads the next row; false at the end. Throws InputError (CsvSyntax) located at the line
    /// of the problem, e.g. a quote that is never closed.
    bool next(CsvRow& row);

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace flopledger::detail
