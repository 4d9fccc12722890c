#pragma once
// The commands behind the CLI11 definitions of cli.cpp. Each returns the process exit code and
// throws InputError for invalid input or usage (exit 2).
#include <cstddef>
#include <flopledger/date.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/monte_carlo.hpp>
#include <flopledger/record.hpp>

#include <cstdint>
#include <istream>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flopledger::inline v1::cli {

/// Every option of every command, as parsed.
struct Settings {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string convention = "matmul";
    std::vector<std::string> prefer;
    int digits = 3;
    bool breakdown = false;  ///< estimate --breakdown
    bool compact = false;    ///< --compact (json, jsonl, csv)
    std::string output;
    unsigned threads = 0;
    std::string dataDir;
    int samples = 2000;
    std::string probabilityMethod = "deterministic";  ///< --probability-method
    std::uint64_t seed = 0x5eed5eedULL;
    std::vector<std::string> policies;
    std::vector<std::string> asOf;
    std::vector<std::string> failOn;
    std::string id;
    bool allowEmpty = false;  ///< empty inputs and policy folders are zero records/policies
    std::vector<std::string> only;  ///< --only statuses
    bool inForceOnly = false;
    std::string warnings = "summary";  ///< --warnings summary|all
    std::string from = "2018";         ///< coverage --from
    std::string to = "today";          ///< coverage --to
    std::string step = "year";         ///< coverage --step year|quarter
    bool projection = false;           ///< coverage --projection
    std::string ymin, ymax;            ///< plot --ymin/--ymax
    std::string plotFrom, plotTo;      ///< plot --from/--to
    bool plotCoverage = false;         ///< plot --coverage
    /// Record fields from flags (--params 70B ...), in the order given.
    std::vector<std::pair<std::string, std::string>> fields;
    std::string recordJson;  ///< the record those fields make ("" when none)
    std::string assumeUndisclosed;           ///< --assume-undisclosed RATIO ("" : none)
    std::string confidenceIntervals = "on";  ///< --confidence-intervals on|off
    bool curatedOnly = false;  ///< read a directory's curated records without its epoch/ layer
    std::string curatedDir;    ///< import epoch: count the rows these curated records supersede
    std::string manifest;  ///< --manifest FILE: the audit manifest (contract 7.7)
};

/// --assume-undisclosed RATIO as an exact non-negative number; nullopt for ""; throws
/// InputError(Usage) for anything else.
std::optional<Exact> parseAssumeUndisclosed(const std::string& text);

int commandAssess(const Settings& s, bool evaluate, std::istream& in, std::ostream& out,
                  std::ostream& err);
int commandSensitivity(const Settings& s, std::ostream& out, std::ostream& err);
int commandPolicies(const Settings& s, bool show, std::ostream& out, std::ostream& err);
int commandHardware(const Settings& s, bool show, std::ostream& out, std::ostream& err);
int commandImportEpoch(const Settings& s, std::istream& in, std::ostream& out, std::ostream& err);
int commandValidate(const Settings& s, std::ostream& out, std::ostream& err);
/// assess --format brief: the whole registry at once (brief.hpp); `extra` records come first.
int commandBrief(const Settings& s, std::vector<Record> extra, std::ostream& out,
                 std::ostream& err);
int commandCoverage(const Settings& s, std::ostream& out, std::ostream& err);
int commandPlot(const Settings& s, std::ostream& err);

/// Comma-separated and repeated values, flattened; empty items dropped.
std::vector<std::string> splitList(const std::vector<std::string>& values);

/// "a,b,c"
std::string joinList(const std::vector<std::string>& items);
/// --as-of values ("today" allowed); throws InputError(BadDate).
std::vector<Date> parseDates(const std::vector<std::string>& values);
/// --prefer: the named methods first, the others after them in the contract's order.
std::vector<Method> preferOrder(const std::vector<std::string>& values);
/// --probability-method.
ProbabilityMethod probabilityMethod(const Settings& s);

/// Text width for tables: the terminal's when stdout is one, else 100.
std::size_t reportWidth();

/// Table helpers of the list commands: `s` padded with spaces to width `w`; trailing spaces cut.
std::string padRight(std::string_view s, std::size_t w);
std::string rtrim(std::string s);

}  // namespace flopledger::cli
