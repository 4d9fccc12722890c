#pragma once
// The accelerator table (hardware/accelerators.json): dense peaks per precision with citations.
#include <flopledger/data_source.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/record.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flopledger {
inline namespace v1 {

struct PeakFigure {
    Exact dense;                 ///< FLOP/s (or OP/s for int8), dense: the only figure ever used
    std::optional<Exact> sparse; ///< 2:4 structured-sparsity figure, kept apart, never used
    std::string source;          ///< datasheet title, revision, URL
    std::string verification;    ///< "verified", "secondary" or "unverified"
};

struct Accelerator {
    std::string id;              ///< vendor-model[-variant], lower case
    std::string name;
    std::string vendor;
    std::array<std::optional<PeakFigure>, kPrecisionCount> peaks;  ///< indexed by Precision
    std::string notes;

    const PeakFigure* peak(Precision p) const;
};

class HardwareCatalog {
public:
    /// The table compiled into the library (generated from hardware/ at build time).
    static const HardwareCatalog& defaults();
    /// Parses one hardware JSON document; throws InputError with file/line/pointer set.
    static HardwareCatalog fromJson(std::string_view text, const std::string& fileName);
    /// Loads every *.json in a directory (data-directory override).
    static HardwareCatalog fromDirectory(const std::string& dir);

    const Accelerator* find(std::string_view id) const;
    const std::vector<Accelerator>& all() const { return accelerators_; }
    std::vector<std::string_view> ids() const;

    void add(Accelerator a);

    /// The files this table was loaded from and their hash (audit manifest).
    const DataSource& dataSource() const { return source_; }
    void setDataSource(DataSource source) { source_ = std::move(source); }

private:
    std::vector<Accelerator> accelerators_;
    std::unordered_map<std::string, std::size_t> index_;  ///< id -> position in accelerators_
    DataSource source_;
};

}  // inline namespace v1
}  // namespace flopledger
