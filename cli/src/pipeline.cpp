#include <flopledger_cli/pipeline.hpp>

#include <unistd.h>

namespace flopledger::inline v1::cli {

InputsOptions inputsOptions(const Settings& s, bool evaluate, ReportFormat format,
                            const std::vector<PolicySummary>& policies) {
    InputsOptions o;
    o.threads = s.threads;
    o.progress = ::isatty(STDERR_FILENO) != 0;
    o.allowEmpty = s.allowEmpty;
    if (!s.recordJson.empty()) {
        o.stdinName = "(flags)";
    }
    const bool tabular = format == ReportFormat::Text || format == ReportFormat::Markdown;
    if (evaluate) {
        o.filter = StatusFilter::parse(splitList(s.only), s.inForceOnly);
        o.policies = policies;
        o.digits = s.digits;
        o.statusLines = tabular;
        // The answer to "which models are in this status": the names, not the table.
        o.writeRecords = !(tabular && o.filter.active());
    } else if (!s.only.empty() || s.inForceOnly) {
        throw InputError(ErrorCode::Usage, "--only and --in-force-only need verdicts: use assess");
    }
    return o;
}

}  // namespace flopledger::cli
