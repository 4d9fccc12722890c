#pragma once
// Importing Epoch AI's "all ML systems" CSV export as model records (contract section 5,
// `import epoch`). The mapping of columns to fields is documented in docs/data-format.md.
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flopledger {

/// One record per data row, in file order. Epoch's training compute becomes the exact `flop`
/// of a `pretraining` stage (with low/high from the bound columns when they bracket it),
/// fine-tune compute a `fine-tuning` stage; estimator "Epoch AI" and Epoch's confidence label
/// are kept on the stage. Problems (a bad number, a bad date) go to `diags` with the row's
/// line; the row still becomes a record without the bad value. A CSV syntax error (unterminated
/// quote) stops the import with a CsvSyntax diagnostic; a header without "Model" gives
/// ImportInvalid and no records.
std::vector<ModelRecord> importEpochCsv(std::string_view csvText, const std::string& fileName,
                                        std::vector<Diagnostic>& diags);

/// Our accelerator id for an Epoch "Training hardware" name, or "" when it names no single
/// accelerator of our table (several chips, or hardware we do not list).
std::string epochAcceleratorId(std::string_view epochHardware);

}  // namespace flopledger
