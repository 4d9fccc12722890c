// Diagnostic formatting, the code catalogue and "did you mean" suggestions.
#include <flopledger/diagnostic.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1 {
namespace {

struct CodeInfo {
    ErrorCode code;
    std::string_view name;
};

// The single table behind codeName() and allErrorCodes(); docs/errors.md is checked against it.
constexpr CodeInfo kCodes[] = {
    {ErrorCode::NumberSyntax, "number-syntax"},
    {ErrorCode::NumberRange, "number-range"},
    {ErrorCode::NumberNegative, "number-negative"},
    {ErrorCode::NumberZero, "number-zero"},
    {ErrorCode::NumberNotInteger, "number-not-integer"},
    {ErrorCode::NumberOutOfRange, "number-out-of-range"},
    {ErrorCode::IntervalOrder, "interval-order"},
    {ErrorCode::BadDistribution, "bad-distribution"},
    {ErrorCode::JsonSyntax, "json-syntax"},
    {ErrorCode::Encoding, "encoding"},
    {ErrorCode::JsonDepth, "json-depth"},
    {ErrorCode::InputTooLarge, "input-too-large"},
    {ErrorCode::CsvSyntax, "csv-syntax"},
    {ErrorCode::WrongType, "wrong-type"},
    {ErrorCode::MissingField, "missing-field"},
    {ErrorCode::UnknownField, "unknown-field"},
    {ErrorCode::BadId, "bad-id"},
    {ErrorCode::DuplicateId, "duplicate-id"},
    {ErrorCode::BadDate, "bad-date"},
    {ErrorCode::BadEnum, "bad-enum"},
    {ErrorCode::ShapeMismatch, "shape-mismatch"},
    {ErrorCode::MissingInputs, "missing-inputs"},
    {ErrorCode::UnknownAccelerator, "unknown-accelerator"},
    {ErrorCode::UnsupportedPrecision, "unsupported-precision"},
    {ErrorCode::BadLatentAttention, "bad-latent-attention"},
    {ErrorCode::BadWindow, "bad-window"},
    {ErrorCode::BadSsmShape, "bad-ssm-shape"},
    {ErrorCode::BadVisionTower, "bad-vision-tower"},
    {ErrorCode::FeatureFamily, "feature-family"},
    {ErrorCode::PolicyInvalid, "policy-invalid"},
    {ErrorCode::UnknownPolicy, "unknown-policy"},
    {ErrorCode::UnknownMetric, "unknown-metric"},
    {ErrorCode::HardwareInvalid, "hardware-invalid"},
    {ErrorCode::ImportInvalid, "import-invalid"},
    {ErrorCode::SupersededUnknown, "superseded-unknown"},
    {ErrorCode::SupersededTwice, "superseded-twice"},
    {ErrorCode::LayerIdCollision, "layer-id-collision"},
    {ErrorCode::Usage, "usage"},
    {ErrorCode::FileNotFound, "file-not-found"},
    {ErrorCode::FileWrite, "file-write"},
    {ErrorCode::LimitExceeded, "limit-exceeded"},
    {ErrorCode::InconsistentRecord, "inconsistent-record"},
    {ErrorCode::ParamMismatch, "param-mismatch"},
    {ErrorCode::ImpliedUtilization, "implied-utilization"},
    {ErrorCode::AssumptionUsed, "assumption-used"},
    {ErrorCode::ReportedMismatch, "reported-mismatch"},
    {ErrorCode::ConfidenceInterval, "confidence-interval"},
    {ErrorCode::UnknownConfidence, "unknown-confidence"},
    {ErrorCode::ImplausibleCompute, "implausible-compute"},
    {ErrorCode::ExportArtefact, "export-artefact"},
    {ErrorCode::StageNotEstimated, "stage-not-estimated"},
    {ErrorCode::Internal, "internal"},
    {ErrorCode::EmptyInput, "empty-input"},
    {ErrorCode::Unreadable, "unreadable"},
    {ErrorCode::InputTimeout, "input-timeout"},
    {ErrorCode::SkippedEntry, "skipped-entry"},
    {ErrorCode::ParentCycle, "parent-cycle"},
    {ErrorCode::UnknownParent, "unknown-parent"},
    {ErrorCode::EmptyPolicyList, "empty-policy-list"},
    {ErrorCode::NoPolicies, "no-policies"},
    {ErrorCode::RendererFailed, "renderer-failed"},
};

std::string_view severityWord(Severity s) {
    switch (s) {
        case Severity::Error:
            return "error";
        case Severity::Warning:
            return "warning";
        case Severity::Note:
            return "note";
    }
    return "error";
}

// Keeps a diagnostic on one line whatever text (file names, field values) ended up in it.
void appendOneLine(std::string& out, std::string_view text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
// case-insensitive: "Tokens" and "tokens" are the same field to a person.
std::size_t editDistance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1])) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

}  // namespace

std::string codeText(ErrorCode code) {
    const auto n = static_cast<unsigned>(code);
    return std::string(n >= 800 && n < 900 ? "W" : "E") + std::to_string(n);
}

std::string_view codeName(ErrorCode code) {
    for (const auto& info : kCodes)
        if (info.code == code) return info.name;
    return "unknown";
}

std::vector<ErrorCode> allErrorCodes() {
    std::vector<ErrorCode> out;
    for (const auto& info : kCodes) out.push_back(info.code);
    // Numeric order whatever the table's order (the catalogue docs/errors.md follows it).
    std::sort(out.begin(), out.end());
    return out;
}

std::string Diagnostic::toString() const {
    std::string out;
    std::string where;
    appendOneLine(where, file);
    if (line > 0 || !pointer.empty()) {
        if (where.empty()) where = "<input>";
        if (line > 0) where += ":" + std::to_string(line);
        if (!pointer.empty()) {
            where += ':';
            appendOneLine(where, pointer);
        }
    }
    if (!where.empty()) out = where + ": ";
    out += severityWord(severity);
    out += ' ';
    out += codeText(code);
    out += ": ";
    appendOneLine(out, message);
    return out;
}

InputError::InputError(Diagnostic diagnostic)
    : std::runtime_error(diagnostic.toString()), diagnostic_(std::move(diagnostic)) {}

InputError::InputError(ErrorCode code, std::string message, std::string pointer)
    : InputError(Diagnostic{Severity::Error, code, {}, 0, std::move(pointer), std::move(message)}) {
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Allow about one edit per three characters (at most 3), so "tokns" -> "tokens" but short
    // unrelated words ("id" vs "kind") are not matched.
    std::string_view best;
    std::size_t bestDistance = static_cast<std::size_t>(-1);
    constexpr std::size_t kMaxCompared = 2000;
    std::size_t compared = 0;
    if (word.size() > 256) return {};  // no name is that long: not worth a quadratic distance
    for (std::string_view c : candidates) {
        // Bounded work (issue 18): a candidate whose length differs by more than the largest
        // cutoff (3) cannot match, and at most kMaxCompared edit distances are computed, so a
        // table of tens of thousands of ids costs milliseconds, not a second, per lookup.
        const std::size_t gap =
            word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
        if (gap > 3) continue;
        if (++compared > kMaxCompared) break;
        const std::size_t d = editDistance(word, c);
        const std::size_t longest = std::max(word.size(), c.size());
        const std::size_t cutoff = std::max<std::size_t>(1, std::min<std::size_t>(3, longest / 3));
        if (d <= cutoff && d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    if (best.empty() && word.size() >= 3) {
        // A truncated or partial id ("eu-ai-act" for "eu-ai-act-art51", "h100" for
        // "nvidia-h100-sxm"): the shortest candidate containing the word.
        for (std::string_view c : candidates) {
            if (c.find(word) != std::string_view::npos &&
                (best.empty() || c.size() < best.size())) {
                best = c;
            }
        }
    }
    return std::string(best);
}

}  // namespace flopledger
