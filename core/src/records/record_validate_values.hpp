#pragma once
// Value rules of a record (see record_validate_values.cpp).
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <vector>

namespace flopledger::inline v1::detail {

/// Appends a diagnostic for every value that breaks the reader's rules.
void checkValues(const Record& record, std::vector<Diagnostic>& out);

}  // namespace flopledger::detail
