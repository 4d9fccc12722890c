// Epoch AI CSV -> model records. Stated figures are kept exactly as Epoch wrote them; nothing is
// estimated here.
#include <flopledger/epoch_import.hpp>
#include <flopledger/hardware_catalog.hpp>

#include "io/csv_reader.hpp"
#include "records/epoch_checks.hpp"

#include <array>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace flopledger::inline v1 {
namespace {

struct HardwareName {
    std::string_view epoch;
    std::string_view id;
};

// Exact Epoch spellings. Plain "NVIDIA V100" is left out on purpose: SXM2 and PCIe peaks differ.
constexpr std::array<HardwareName, 22> kHardware = {{
    {"NVIDIA A100", "nvidia-a100"},
    {"NVIDIA A100 SXM4 80 GB", "nvidia-a100"},
    {"NVIDIA A100 SXM4 40 GB", "nvidia-a100"},
    {"NVIDIA A100 PCIe", "nvidia-a100"},
    {"NVIDIA A800 SXM", "nvidia-a800"},
    {"NVIDIA A800 PCIe 40 GB", "nvidia-a800"},
    {"NVIDIA A800 PCIe 80 GB", "nvidia-a800"},
    {"NVIDIA H100 SXM5 80GB", "nvidia-h100-sxm"},
    {"NVIDIA H100 PCIe", "nvidia-h100-pcie"},
    {"NVIDIA H100 NVL", "nvidia-h100-nvl"},
    {"NVIDIA H800 SXM5", "nvidia-h800"},
    {"NVIDIA H200 SXM", "nvidia-h200"},
    {"NVIDIA B200", "nvidia-b200"},
    {"NVIDIA Tesla V100 SXM2", "nvidia-v100-sxm2"},
    {"NVIDIA Tesla V100 PCIe 16 GB", "nvidia-v100-pcie"},
    {"NVIDIA Tesla V100 PCIe 32 GB", "nvidia-v100-pcie"},
    {"AMD Radeon Instinct MI250X", "amd-mi250x"},
    {"AMD Instinct MI300X", "amd-mi300x"},
    {"Google TPU v3", "google-tpu-v3"},
    {"Google TPU v4", "google-tpu-v4"},
    {"Google TPU v5e", "google-tpu-v5e"},
    {"Google TPU v5p", "google-tpu-v5p"},
}};

std::string slugify(std::string_view name) {
    std::string out;
    bool dash = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += static_cast<char>(c);
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            dash = true;  // spaces, punctuation and non-ASCII collapse into one '-'
        }
    }
    while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(out.begin());
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return std::string(s);
}

class RowReader {
public:
    RowReader(const std::vector<std::string>& header, const detail::CsvRow& row,
              const std::string& file, std::vector<Diagnostic>& diags)
        : header_(header), row_(row), file_(file), diags_(diags) {}

    // Checks of a figure's plausibility name the model, not only the line.
    void flag(ErrorCode code, const std::string& column, const std::string& message) {
        diags_.push_back(Diagnostic{Severity::Warning, code, file_, row_.line, "",
                                    cell("Model") + ": column '" + column + "': " + message});
    }

    std::string cell(std::string_view column) const {
        for (std::size_t i = 0; i < header_.size(); ++i)
            if (header_[i] == column) return i < row_.fields.size() ? trim(row_.fields[i]) : "";
        return "";
    }

    void warn(Severity s, const std::string& column, std::string message) {
        diags_.push_back(Diagnostic{s, ErrorCode::ImportInvalid, file_, row_.line, "",
                                    "column '" + column + "': " + std::move(message)});
    }

    std::optional<Exact> number(const std::string& column) {
        const std::string text = cell(column);
        if (text.empty()) return std::nullopt;
        try {
            Exact v = parseExact(text);
            if (v < 0) {
                warn(Severity::Error, column, "negative value '" + text + "' ignored");
                return std::nullopt;
            }
            return v;
        } catch (const InputError& e) {
            warn(Severity::Error, column, e.diagnostic().message + "; value ignored");
            return std::nullopt;
        }
    }

private:
    const std::vector<std::string>& header_;
    const detail::CsvRow& row_;
    const std::string& file_;
    std::vector<Diagnostic>& diags_;
};

std::vector<Modality> modalitiesOf(const std::string& domains) {
    std::vector<Modality> out;
    auto add = [&](Modality m) {
        for (Modality x : out)
            if (x == m) return;
        out.push_back(m);
    };
    std::size_t start = 0;
    while (start <= domains.size()) {
        std::size_t comma = domains.find(',', start);
        if (comma == std::string::npos) comma = domains.size();
        const std::string d = trim(std::string_view(domains).substr(start, comma - start));
        start = comma + 1;
        if (d.empty() || d == "Multimodal") continue;  // the other listed domains say which
        if (d == "Language")
            add(Modality::Text);
        else if (d == "Vision" || d == "Image generation")
            add(Modality::Image);
        else if (d == "Video")
            add(Modality::Video);
        else if (d == "Speech")
            add(Modality::Speech);
        else if (d == "Audio")
            add(Modality::Audio);
        else if (d == "Biology")
            add(Modality::Biology);
        else
            add(Modality::Other);
    }
    return out;
}

std::optional<Precision> precisionOf(const std::string& format) {
    if (format == "FP32") return Precision::Fp32;
    if (format == "TF32") return Precision::Tf32;
    if (format == "BF16") return Precision::Bf16;
    if (format == "FP16") return Precision::Fp16;
    if (format == "FP8") return Precision::Fp8;
    if (format == "INT8") return Precision::Int8;
    return std::nullopt;  // several formats or unknown: the estimator assumes and says so
}

// What the plausibility checks need to know about a row beyond its own cells.
struct RowContext {
    std::optional<Exact> params;      ///< the row's parameters
    std::optional<Exact> baseParams;  ///< its base model's, when that is in the dataset
    bool namesBase = false;           ///< the row names a base model
    ImportCounts* counts = nullptr;
};

// Epoch's figure, with an export artefact removed; nullopt when absent, unreadable or
// implausible (flagged, kept in notes).
std::optional<Exact> checkedFigure(RowReader& row, const std::string& column,
                                   const RowContext& ctx, std::string& notes, bool& flagged) {
    auto point = row.number(column);
    if (!point) return std::nullopt;
    const std::string text = row.cell(column);
    if (detail::implausibleCompute(*point, ctx.params, ctx.baseParams, ctx.namesBase)) {
        row.flag(ErrorCode::ImplausibleCompute, column,
                 text + " FLOP for a model with " +
                     (ctx.params ? formatScientific(*ctx.params, 3) + " parameters"
                      : ctx.baseParams
                          ? "a base model of " + formatScientific(*ctx.baseParams, 3) +
                                " parameters"
                          : std::string("a base model")) +
                     " is implausible (an export glitch); not used");
        notes += " Epoch " + column + " " + text + " not used (implausible).";
        flagged = true;
        if (ctx.counts) ++ctx.counts->implausible;
        return std::nullopt;
    }
    if (const auto fixed = detail::epochArtefactCorrectionText(text)) {
        row.flag(ErrorCode::ExportArtefact, column,
                 text + " read as " + *fixed + " (the trailing 1 is an export artefact)");
        notes += " Epoch " + column + " " + text + " read as " + *fixed +
                 " (trailing 1: export artefact).";
        flagged = true;
        if (ctx.counts) ++ctx.counts->artefacts;
        return parseExact(*fixed);
    }
    return point;
}

// A stage whose flop is Epoch's figure, bracketed by its bounds when they are consistent.
std::optional<Stage> computeStage(RowReader& row, StageKind kind, const std::string& column,
                                  const std::string& lowColumn, const std::string& highColumn,
                                  const std::string& pointer, std::string& notes,
                                  const RowContext& ctx, bool& flagged) {
    const auto point = checkedFigure(row, column, ctx, notes, flagged);
    if (!point) return std::nullopt;
    Stage s;
    s.kind = kind;
    s.flop = Quantity(*point);
    s.estimator = "Epoch AI";
    s.confidence = row.cell("Confidence");
    s.pointer = pointer;
    if (!lowColumn.empty()) {
        // Bounds carry the same export artefact (1.0000000001e+25): removed, and noted.
        auto bound = [&](const std::string& col) {
            auto v = row.number(col);
            if (const auto fixed = detail::epochArtefactCorrectionText(row.cell(col)); v && fixed) {
                notes += " Epoch " + col + " " + row.cell(col) + " read as " + *fixed + ".";
                v = parseExact(*fixed);
            }
            return v;
        };
        const auto low = bound(lowColumn);
        const auto high = bound(highColumn);
        if (low && high && *low <= *point && *point <= *high) {
            s.flop = Quantity(Interval{*low, *point, *high}, Distribution::LogUniform);
        } else if (low || high) {
            row.warn(Severity::Warning, low ? lowColumn : highColumn,
                     "bounds that do not bracket the point figure (or only one bound) are "
                     "kept in notes, not used");
            notes += (notes.empty() ? "" : " ") + std::string("Epoch bounds: low ") +
                     row.cell(lowColumn) + ", high " + row.cell(highColumn) + ".";
        }
    }
    return s;
}

}  // namespace

std::string epochAcceleratorId(std::string_view epochHardware) {
    for (const auto& h : kHardware)
        if (h.epoch == epochHardware) return std::string(h.id);
    return "";
}

namespace {

std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One data row as a record. `ctx` carries what the row needs from the others (its base model).
ModelRecord rowToRecord(RowReader& r, const detail::CsvRow& row, const std::string& id,
                        const std::string& parentId, const RowContext& ctx,
                        const std::string& fileName, bool& flagged) {
    ModelRecord m;
    m.name = r.cell("Model");
    m.developer = r.cell("Organization");
    m.id = id;
    m.layer = "epoch";
    m.location = SourceLocation{fileName, row.line, ""};
    if (const std::string date = r.cell("Publication date"); !date.empty()) {
        m.released = Date::parse(date);
        if (!m.released)
            r.warn(Severity::Error, "Publication date", "'" + date + "' is not a date");
    }
    m.modalities = modalitiesOf(r.cell("Domain"));
    const std::string access = r.cell("Model accessibility");
    if (access.rfind("Open weights", 0) == 0)
        m.openWeights = true;
    else if (access == "Unreleased" || access == "API access" ||
             access == "Hosted access (no API)")
        m.openWeights = false;
    if (const auto& params = ctx.params) {
        Architecture a;
        a.family = Family::Generic;
        a.params = Quantity(*params);
        m.architecture = std::move(a);
    }
    std::string notes =
        "Imported from Epoch AI (" + baseName(fileName) + " line " + std::to_string(row.line) + ").";
    const std::string method = r.cell("Training compute estimation method");
    if (!method.empty()) notes += " Epoch estimation method: " + method + ".";

    auto pre = computeStage(r, StageKind::Pretraining, "Training compute (FLOP)",
                            "Training compute lower bound", "Training compute upper bound",
                            "/stages/0", notes, ctx, flagged);
    if (pre) {
        pre->label = "Epoch AI training compute";
        // Hardware inputs are attached only next to Epoch's figure, which stays the chosen
        // value (stated outranks hardware); on their own they would invent an estimate.
        const std::string hw = r.cell("Training hardware");
        const std::string acc = epochAcceleratorId(hw);
        if (!acc.empty()) {
            HardwareUse h;
            h.accelerator = acc;
            h.count = r.number("Hardware quantity");
            h.hours = r.number("Training time (hours)");
            h.chipHours = r.number("Training chip-hours");
            if (h.count && (*h.count).central() == 0) h.count.reset();
            // A record's chip count is a whole number (the reader refuses "1.93"): a
            // fractional cell is reported and left out rather than exported unreadable.
            if (h.count && denominator(h.count->central()) != 1) {
                r.warn(Severity::Warning, "Hardware quantity",
                       "'" + r.cell("Hardware quantity") +
                           "' is not a whole number of chips; not used");
                h.count.reset();
            }
            if (const auto u = r.number("Hardware utilization (MFU)"); u && *u > 0 && *u <= 1)
                h.utilization = Quantity(*u);
            h.precision = precisionOf(r.cell("Numerical format"));
            // Epoch records the model's number format (e.g. FP32 on a TPU v3); where the chip
            // publishes no dense peak for it, leave the precision to the default assumption
            // rather than emit a stage that cannot be assessed.
            if (h.precision) {
                const Accelerator* a = HardwareCatalog::defaults().find(acc);
                if (!a || !a->peak(*h.precision)) {
                    notes += " Numerical format " + r.cell("Numerical format") +
                             " has no published dense peak on " + acc + "; not used.";
                    h.precision.reset();
                }
            }
            if (h.chipHours || (h.count && h.hours)) pre->hardware = std::move(h);
        } else if (!hw.empty()) {
            notes += " Training hardware: " + hw + ".";
        }
        m.stages.push_back(std::move(*pre));
    }
    if (auto ft = computeStage(r, StageKind::FineTuning, "Finetune compute (FLOP)", "", "",
                               "/stages/" + std::to_string(m.stages.size()), notes, ctx,
                               flagged)) {
        ft->label = "Epoch AI fine-tune compute";
        m.stages.push_back(std::move(*ft));
    }
    const std::string link = r.cell("Link");
    if (!link.empty()) {
        std::string what = r.cell("Reference");
        if (what.empty()) what = m.name;
        // Epoch sometimes lists several URLs separated by spaces or newlines: one citation each.
        std::size_t start = 0;
        while (start < link.size()) {
            std::size_t sp = link.find_first_of(" \t\r\n", start);
            if (sp == std::string::npos) sp = link.size();
            if (sp > start) m.sources.push_back(Citation{what, link.substr(start, sp - start)});
            start = sp + 1;
        }
    }
    if (!parentId.empty()) {
        m.parent = ParentRef{};
        m.parent->id = parentId;
    }
    m.notes = std::move(notes);
    int samples = 0;
    for (Stage& s : m.stages)
        if (s.flop && s.flop->uncertain()) s.flop->sampleIndex = samples++;
    m.uncertainCount = samples;
    return m;
}

}  // namespace

std::vector<ModelRecord> importEpochCsv(std::string_view csvText, const std::string& fileName,
                                        std::vector<Diagnostic>& diags) {
    return importEpochCsv(csvText, fileName, diags, nullptr);
}

std::vector<ModelRecord> importEpochCsv(std::string_view csvText, const std::string& fileName,
                                        std::vector<Diagnostic>& diags, ImportCounts* counts) {
    std::vector<ModelRecord> out;
    ImportCounts tally;
    detail::CsvReader csv(csvText);
    detail::CsvRow headerRow;
    try {
        if (!csv.next(headerRow)) return out;
    } catch (InputError& e) {
        e.diagnostic().file = fileName;
        diags.push_back(e.diagnostic());
        return out;
    }
    std::vector<std::string> header;
    for (const auto& h : headerRow.fields) header.push_back(trim(h));
    bool hasModel = false;
    for (const auto& h : header) hasModel = hasModel || h == "Model";
    if (!hasModel) {
        diags.push_back(Diagnostic{Severity::Error, ErrorCode::ImportInvalid, fileName, 1, "",
                                   "the header has no 'Model' column: not an Epoch AI export"});
        return out;
    }

    // First pass: the rows, their ids and parameters, so that a row can name its base model.
    std::vector<detail::CsvRow> rows;
    std::optional<Diagnostic> syntaxError;  // reported after the rows before it, in input order
    while (true) {
        detail::CsvRow row;
        try {
            if (!csv.next(row)) break;
        } catch (InputError& e) {
            e.diagnostic().file = fileName;
            syntaxError = e.diagnostic();
            break;
        }
        if (row.fields.size() == 1 && trim(row.fields[0]).empty()) continue;  // blank line
        rows.push_back(std::move(row));
    }
    std::set<std::string> ids;
    std::vector<std::string> rowIds;
    std::vector<std::optional<Exact>> rowParams;
    std::unordered_map<std::string, std::size_t> byName;  // first row of each model name
    std::vector<Diagnostic> firstPass;  // number problems are reported in the second pass
    for (std::size_t k = 0; k < rows.size(); ++k) {
        RowReader r(header, rows[k], fileName, firstPass);
        const std::string name = r.cell("Model");
        // Deterministic unique ids: the slug, then -2, -3, ... in file order.
        std::string base = slugify(name);
        if (base.empty()) base = "epoch-row-" + std::to_string(rows[k].line);
        std::string id = base;
        for (int n = 2; ids.count(id); ++n) id = base + "-" + std::to_string(n);
        ids.insert(id);
        rowIds.push_back(id);
        rowParams.push_back(r.number("Parameters"));
        byName.emplace(name, k);
    }

    for (std::size_t k = 0; k < rows.size(); ++k) {
        const detail::CsvRow& row = rows[k];
        RowReader r(header, row, fileName, diags);
        if (row.fields.size() != header.size())
            r.warn(Severity::Warning, "*",
                   std::to_string(row.fields.size()) + " fields where the header has " +
                       std::to_string(header.size()));
        RowContext ctx;
        ctx.params = r.number("Parameters");
        ctx.counts = &tally;
        // Epoch's "Base model" becomes `parent` when it names one row of the dataset (a list of
        // several bases, e.g. a language model and a vision tower, names no single parent).
        const std::string baseModel = r.cell("Base model");
        ctx.namesBase = !baseModel.empty();
        std::string parentId;
        if (const auto it = byName.find(baseModel); ctx.namesBase && it != byName.end()) {
            parentId = rowIds[it->second];
            ctx.baseParams = rowParams[it->second];
        }
        bool flagged = false;
        out.push_back(rowToRecord(r, row, rowIds[k], parentId, ctx, fileName, flagged));
        ++tally.records;
        if (!out.back().stages.empty() && out.back().stages.front().kind == StageKind::Pretraining)
            ++tally.withCompute;
        if (flagged) ++tally.flagged;
        if (!parentId.empty()) ++tally.withParent;
    }
    if (syntaxError) diags.push_back(std::move(*syntaxError));
    if (counts) *counts = tally;
    return out;
}

}  // namespace flopledger
