#pragma once
// Importing Epoch AI's "all ML systems" CSV export as model records (docs/data-format.md,
// `import epoch`). The mapping of columns to fields is documented in docs/data-format.md.
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// What an import did, for its summary line.
struct ImportCounts {
    std::size_t records = 0;      ///< records written (one per data row)
    std::size_t withCompute = 0;  ///< with a training compute figure used
    std::size_t flagged = 0;      ///< records with a figure flagged (W810 or W811)
    std::size_t implausible = 0;  ///< figures not used as implausible (W810)
    std::size_t artefacts = 0;    ///< figures whose trailing export artefact was removed (W811)
    std::size_t withParent = 0;   ///< records whose Base model became `parent`
};

/// One record per data row, in file order. Epoch's training compute becomes the exact `flop`
/// of a `pretraining` stage (with low/high from the bound columns when they bracket it),
/// fine-tune compute a `fine-tuning` stage; estimator "Epoch AI" and Epoch's confidence label
/// are kept on the stage. Problems (a bad number, a bad date) go to `diags` with the row's
/// line; the row still becomes a record without the bad value. A CSV syntax error (unterminated
/// quote) stops the import with a CsvSyntax diagnostic; a header without "Model" gives
/// ImportInvalid and no records.
std::vector<ModelRecord> importEpochCsv(std::string_view csvText, const std::string& fileName,
                                        std::vector<Diagnostic>& diags);
/// The same, also counting what was done. Figures are checked (docs/data-format.md): a
/// spurious trailing "0...01" is removed (W811) and a figure below 1e12 FLOP for a model with
/// billions of parameters is not used (W810); both warnings name the model. Every record says
/// `"layer": "epoch"`; a `Base model` naming one row of the file becomes `parent`.
std::vector<ModelRecord> importEpochCsv(std::string_view csvText, const std::string& fileName,
                                        std::vector<Diagnostic>& diags, ImportCounts* counts);

/// Our accelerator id for an Epoch "Training hardware" name, or "" when it names no single
/// accelerator of our table (several chips, or hardware we do not list).
std::string epochAcceleratorId(std::string_view epochHardware);

}  // inline namespace v1
}  // namespace flopledger
