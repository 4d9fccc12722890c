#pragma once
// Helpers shared by the brief's files (brief.cpp, brief_change.cpp).
#include <flopledger/brief.hpp>
#include <flopledger/policy_catalog.hpp>

#include <map>
#include <string>
#include <vector>

namespace flopledger::inline v1::brief_detail {

std::string sci(const Exact& v, int digits);
/// Short titles, unless two policies of the set share one: then the full title.
std::map<std::string, std::string> titlesOf(const std::vector<PolicySummary>& policies);
/// "a", "a and b", "a, b and c".
std::string joinWords(const std::vector<std::string>& items);
const Verdict* verdictFor(const DatedVerdicts& d, const std::string& policy);

/// Lines keyed by their text, each with the regimes it speaks for, in first-seen order: one
/// line says "13 regimes" instead of thirteen alike lines.
class GroupedLines {
public:
    void add(const std::string& line, const std::string& regime);
    /// "- REGIMES: LINE.\n" each, at most `max` lines (then a pointer to the rest).
    std::string markdown(std::size_t max, const std::string& rest) const;
    bool empty() const { return lines_.empty(); }

private:
    std::vector<std::pair<std::string, std::vector<std::string>>> lines_;
};

/// "### What would change the conclusion": the undisclosed compute needed to cross (7.3),
/// break-even values (7.6), the criterion other than compute that decides a verdict (7.5), the
/// distance of the interval from each threshold, and the assumptions verdicts rely on.
std::string changeSection(const RecordAssessment& r, const BriefOptions& o);

/// "Reading the inputs gave 3 warnings: W811 x2, E601 x1 ..." or "" when there are none.
std::string warningsSummary(const std::vector<Diagnostic>& warnings);

}  // namespace flopledger::brief_detail
