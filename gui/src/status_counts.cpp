#include "status_counts.hpp"

#include <variant>

namespace flopledger::inline v1::gui {

StatusCounts statusCounts(const RegistryDocument& doc) {
    StatusCounts c;
    c.records = doc.size();
    const int policies = static_cast<int>(doc.policies().size());
    for (int row = 0; row < doc.size(); ++row) {
        if (!std::holds_alternative<ModelRecord>(doc.record(row))) continue;
        for (int p = 0; p < policies; ++p) {
            const Verdict* v = doc.verdict(row, p);
            if (v != nullptr && !v->assumptions.empty()) {
                ++c.assumed;
                break;
            }
        }
        const Verdict* v = doc.verdict(row, 0);
        if (v == nullptr) continue;
        switch (v->status) {
            case VerdictStatus::Exceeds:
                ++c.exceeds;
                break;
            case VerdictStatus::Indeterminate:
                ++c.indeterminate;
                break;
            case VerdictStatus::Below:
                ++c.below;
                break;
            case VerdictStatus::Unknown:
                ++c.unknown;
                break;
            case VerdictStatus::NotReleased:
                ++c.notReleased;
                break;
        }
    }
    return c;
}

std::string statusCountsText(const RegistryDocument& doc) {
    const StatusCounts c = statusCounts(doc);
    std::string t = std::to_string(c.records) + (c.records == 1 ? " record" : " records");
    if (doc.policies().empty()) return t;
    t = "As of " + doc.asOf().toIsoDay() + " under " + doc.policies().front() + ": " +
        std::to_string(c.exceeds) + " exceeds, " + std::to_string(c.indeterminate) +
        " indeterminate, " + std::to_string(c.below) + " below, " + std::to_string(c.unknown) +
        " unknown; " + std::to_string(c.notReleased) + " not yet released; " + t;
    if (c.assumed > 0)
        t +=
            "; \u2020 " + std::to_string(c.assumed) + " rely on the undisclosed-compute assumption";
    return t;
}

}  // namespace flopledger::gui
