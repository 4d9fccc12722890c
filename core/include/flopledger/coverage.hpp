#pragma once
// Threshold coverage over time: for each date, how many models of a registry that were released
// by then exceed, straddle or fall below each policy's threshold as of that date. The counts are
// those of an assessment as of the date (the same Assessor), so `coverage` and `assess --as-of`
// agree by construction. An optional projection fits the registry's frontier (the largest model
// of each year) and says when each threshold would be crossed; it is labelled as a projection.
#include <flopledger/assessment.hpp>
#include <flopledger/report.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace flopledger {
inline namespace v1 {

enum class CoverageStep { Quarter, Year };

struct CoverageOptions {
    AssessOptions assess;  ///< policies, estimate options, catalog; asOf is replaced by the steps
    Date from;
    Date to;
    CoverageStep step = CoverageStep::Year;
    bool projection = false;
    unsigned threads = 0;
};

/// Released models in each status under one policy as of one date.
struct CoverageCounts {
    bool inForce = false;
    std::string threshold;  ///< the compute threshold on that date, e.g. "1e25" ("" if none)
    std::size_t exceeds = 0;
    std::size_t straddle = 0;  ///< indeterminate: the uncertainty interval straddles the line
    std::size_t below = 0;
    std::size_t unknown = 0;  ///< inputs missing
};

/// The frontier trend: log10(largest model's FLOP) = intercept + slope * year, least squares over
/// the years that have a dated model with an estimate.
struct CoverageProjection {
    std::vector<std::pair<int, double>> points;  ///< (year, log10 FLOP of its largest model)
    double slope = 0;                            ///< decades per year
    double slopeLow = 0, slopeHigh = 0;          ///< 95% interval of the slope
    double intercept = 0;
    /// Per policy (report order): the year the fitted frontier reaches its threshold, with the
    /// interval from the slope's; nullopt when the policy has no compute threshold.
    struct Crossing {
        std::string policy;
        std::string threshold;
        std::optional<double> year, yearLow, yearHigh;
    };
    std::vector<Crossing> crossings;
};

struct CoverageResult {
    std::vector<Date> dates;
    std::vector<PolicySummary> policies;
    std::vector<std::vector<CoverageCounts>> counts;  ///< [date][policy]
    std::size_t models = 0;                           ///< model records read
    std::size_t undated = 0;  ///< models without a release date (never counted)
    std::optional<CoverageProjection> projection;
};

/// from, from + step, ... up to and including `to`.
std::vector<Date> coverageDates(const Date& from, const Date& to, CoverageStep step);

/// Assesses `records` as of every step and counts. Throws InputError (UnknownPolicy, Usage).
CoverageResult computeCoverage(std::vector<Record> records, const CoverageOptions& options);

/// The result as an aligned text table, CSV, a JSON document or Markdown.
std::string coverageText(const CoverageResult& result);
std::string coverageCsv(const CoverageResult& result);
std::string coverageJson(const CoverageResult& result);
std::string coverageMarkdown(const CoverageResult& result);

}  // inline namespace v1
}  // namespace flopledger
