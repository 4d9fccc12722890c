// Presentation of a policy in reports: its citation, a link and its standing on a date
// (report.hpp).
#include <flopledger/report.hpp>

namespace flopledger::inline v1 {

std::string policyCitation(const Policy& p) {
    std::string out = p.instrument.name;
    if (!p.instrument.article.empty()) {
        out += out.empty() ? p.instrument.article : ", " + p.instrument.article;
    }
    return out;
}

std::string policyUrl(const Policy& p) {
    for (const auto& c : p.citations) {
        if (!c.url.empty()) {
            return c.url;
        }
    }
    return {};
}

PolicySummary summarizePolicy(const Policy& p, const Date& asOf) {
    return {p.id, p.title, policyCitation(p), policyUrl(p),
            std::string(toString(p.stateOn(asOf).legalStatus))};
}

}  // namespace flopledger
