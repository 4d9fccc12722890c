// RFC 4180 CSV, tolerant of LF-only line ends and of a UTF-8 byte order mark.
#include "io/csv_reader.hpp"

#include <flopledger/diagnostic.hpp>

namespace flopledger::inline v1::detail {

CsvReader::CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xef\xbb\xbf") pos_ = 3;
}

bool CsvReader::next(CsvRow& row) {
    row.fields.clear();
    if (pos_ >= text_.size()) return false;
    row.line = line_;
    std::string field;
    bool quoted = false;
    bool afterQuote = false;  // a quoted field has just been closed
    std::size_t quoteLine = 0;
    auto syntax = [&](std::size_t line, const std::string& message) {
        Diagnostic d;
        d.code = ErrorCode::CsvSyntax;
        d.line = line;
        d.message = message;
        throw InputError(std::move(d));
    };
    while (pos_ < text_.size()) {
        const char c = text_[pos_++];
        if (quoted) {
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                if (c == '\n') ++line_;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            row.fields.push_back(std::move(field));
            field.clear();
            afterQuote = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
            ++line_;
            row.fields.push_back(std::move(field));
            return true;
        } else if (afterQuote) {
            syntax(line_, std::string("unexpected character '") + c +
                              "' after a closing quote (inside a quoted field write \"\")");
        } else if (c == '"' && field.empty()) {
            quoted = true;
            quoteLine = line_;
        } else {
            field += c;  // a stray quote inside an unquoted field is kept literally
        }
    }
    if (quoted) syntax(quoteLine, "a quoted field opened here is never closed");
    row.fields.push_back(std::move(field));
    return true;
}

}  // namespace flopledger::detail
