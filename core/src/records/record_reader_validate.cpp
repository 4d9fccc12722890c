// Semantic checks of parsed records: shapes that cannot exist, unknown hardware, stages no
// method can estimate. Diagnostics carry the record's line and the field's JSON pointer.
#include <flopledger/record_reader.hpp>

#include "base/exact_fast.hpp"
#include "records/record_features_check.hpp"
#include "records/record_validate_values.hpp"

#include <new>
#include <string>
#include <unordered_set>
#include <vector>

namespace flopledger::inline v1 {
namespace {

class Checker {
public:
    Checker(const SourceLocation& loc, const HardwareCatalog& hw, std::vector<Diagnostic>& out)
        : loc_(loc), hw_(hw), out_(out) {}

    void error(ErrorCode code, const std::string& relPointer, std::string message,
               Severity severity = Severity::Error) {
        out_.push_back(Diagnostic{severity, code, loc_.file, loc_.line, loc_.pointer + relPointer,
                                  std::move(message)});
    }

    // Checks an accelerator id and, if given, that it has a dense peak for the precision.
    void accelerator(const std::string& id, std::optional<Precision> precision,
                     const std::string& at) {
        const Accelerator* a = hw_.find(id);
        if (!a) {
            std::string best = didYouMean(id, hw_.ids());
            // A typed alias with one stray character ("h1000", "H100 SXMM"): the alias it
            // resolves to without that character.
            for (std::size_t i = 0; best.empty() && id.size() > 2 && i < id.size(); ++i) {
                if (const Accelerator* near = hw_.find(id.substr(0, i) + id.substr(i + 1)))
                    best = near->id;
            }
            error(ErrorCode::UnknownAccelerator, at + "/accelerator",
                  "unknown accelerator '" + id + "'" +
                      (best.empty() ? " (`flopledger hardware list` shows the ids)"
                                    : "; did you mean '" + best + "'?"));
            return;
        }
        if (precision && !a->peak(*precision)) {
            std::string have;
            for (int p = 0; p < kPrecisionCount; ++p) {
                if (!a->peaks[static_cast<std::size_t>(p)]) continue;
                have += have.empty() ? "" : ", ";
                have += toString(static_cast<Precision>(p));
            }
            error(ErrorCode::UnsupportedPrecision, at + "/precision",
                  "'" + id + "' publishes no dense peak for " + std::string(toString(*precision)) +
                      (have.empty() ? "" : " (it has: " + have + ")"));
        }
    }

    void architecture(const Architecture& a) {
        const std::string at = "/architecture";
        const bool shaped = a.dModel.has_value() || a.layers.has_value() ||
                            a.encoderLayers.has_value() || a.decoderLayers.has_value();
        if (a.heads && a.dModel && !a.headDim && !divides(*a.heads, *a.dModel))
            error(ErrorCode::ShapeMismatch, at + "/heads",
                  "heads (" + show(*a.heads) + ") do not divide d_model (" + show(*a.dModel) +
                      "); give head_dim explicitly");
        if (a.kvHeads && a.heads) {
            if (greater(*a.kvHeads, *a.heads))
                error(ErrorCode::ShapeMismatch, at + "/kv_heads",
                      "kv_heads (" + show(*a.kvHeads) + ") exceed heads (" + show(*a.heads) + ")");
            else if (!divides(*a.kvHeads, *a.heads))
                error(ErrorCode::ShapeMismatch, at + "/kv_heads",
                      "kv_heads (" + show(*a.kvHeads) + ") do not divide heads (" + show(*a.heads) +
                          ")");
        }
        if (a.params && a.activeParams && greater(*a.activeParams, *a.params))
            error(ErrorCode::ShapeMismatch, at + "/active_params",
                  "active_params (" + show(*a.activeParams) + ") exceed params (" +
                      show(*a.params) + ")");
        if (a.moe) {
            if (greater(a.moe->active, a.moe->experts))
                error(ErrorCode::ShapeMismatch, at + "/moe/active",
                      "moe.active (" + show(a.moe->active) + ") exceeds moe.experts (" +
                          show(a.moe->experts) + ")");
            if (a.layers && greater(a.moe->denseLayers, *a.layers))
                error(ErrorCode::ShapeMismatch, at + "/moe/dense_layers",
                      "moe.dense_layers (" + show(a.moe->denseLayers) + ") exceed layers (" +
                          show(*a.layers) + ")");
        }
        switch (a.family) {
            case Family::Vit:
                if (shaped && !a.imageSize)
                    error(ErrorCode::MissingField, at, "a vit architecture needs \"image_size\"");
                if (shaped && !a.patchSize)
                    error(ErrorCode::MissingField, at, "a vit architecture needs \"patch_size\"");
                if (a.imageSize && a.patchSize && !divides(*a.patchSize, *a.imageSize))
                    error(ErrorCode::ShapeMismatch, at + "/patch_size",
                          "patch_size (" + show(*a.patchSize) + ") does not divide image_size (" +
                              show(*a.imageSize) + ")");
                break;
            case Family::Generic:
                if (!a.forwardFlopPerExample && !a.params && !a.activeParams)
                    error(ErrorCode::MissingField, at,
                          "a generic architecture needs \"forward_flop_per_example\" or "
                          "\"params\"");
                break;
            case Family::EncoderDecoder:
                if (a.dModel && !a.layers && !(a.encoderLayers && a.decoderLayers))
                    error(ErrorCode::MissingField, at,
                          "an encoder-decoder architecture needs \"encoder_layers\" and "
                          "\"decoder_layers\"");
                break;
            case Family::Decoder:
            case Family::Encoder:
                if (a.dModel && !a.layers)
                    error(ErrorCode::MissingField, at,
                          "the shape gives d_model but not \"layers\"");
                if (a.layers && !a.dModel && !a.params)
                    error(ErrorCode::MissingField, at,
                          "the shape gives layers but not \"d_model\"");
                break;
        }
    }

    void stage(const Stage& s, bool hasArchitecture) {
        const std::string at = relative(s.pointer);
        if (s.hardware) {
            const HardwareUse& h = *s.hardware;
            accelerator(h.accelerator, h.precision, at + "/hardware");
            if (!h.chipHours && !(h.count && h.hours))
                error(ErrorCode::StageNotEstimated, at + "/hardware",
                      "hardware use needs \"count\" and \"hours\", or \"chip_hours\"",
                      Severity::Warning);
        }
        const bool work = s.tokens || s.examples;
        if (!s.flop && !s.hardware && !work && !s.undisclosed)
            error(ErrorCode::StageNotEstimated, at,
                  "the stage has no \"flop\", \"tokens\"/\"examples\" or \"hardware\": no method "
                  "can estimate it",
                  Severity::Warning);
        else if (!s.flop && !s.hardware && work && !hasArchitecture && !s.params && !s.activeParams)
            error(ErrorCode::StageNotEstimated, at,
                  "tokens are given but no parameters (architecture or stage params) to multiply "
                  "them by",
                  Severity::Warning);
    }

    // Stage pointers are absolute in the file; diagnostics are built from the record's pointer.
    std::string relative(const std::string& pointer) const {
        if (pointer.compare(0, loc_.pointer.size(), loc_.pointer) == 0)
            return pointer.substr(loc_.pointer.size());
        return pointer;
    }

private:
    // Central values compared without boost::rational's continued-fraction walk.
    static bool greater(const Quantity& a, const Quantity& b) {
        return detail::compareExact(a.central(), b.central()) > 0;
    }

    static bool divides(const Quantity& d, const Quantity& n) {
        // Whole numbers below 2^128 (every real shape): a remainder test on magnitudes
        // (divisibility ignores signs). A zero divisor takes the general path, as before.
        detail::U128 dn = 0, dd = 0, nn = 0, nd = 0;
        bool dneg = false, nneg = false;
        if (detail::exactPartsU128(d.central(), dn, dd, dneg) &&
            detail::exactPartsU128(n.central(), nn, nd, nneg) && dd == 1 && nd == 1 && dn != 0)
            return nn % dn == 0;
        const Exact q = n.central() / d.central();
        return d.central() != 0 && boost::multiprecision::denominator(q) == 1;
    }
    static std::string show(const Quantity& q) { return formatExact(q.central(), 12); }

    const SourceLocation& loc_;
    const HardwareCatalog& hw_;
    std::vector<Diagnostic>& out_;
};

}  // namespace

std::vector<Diagnostic> RecordReader::validate(const Record& record) const {
    std::vector<Diagnostic> out;
    // The reader's value rules hold for records it read (checked while parsing, so not again
    // on this hot path); a record built in code goes through flopledger::validate(), which
    // checks them first. Whatever slips through is reported, never thrown.
    try {
        semanticChecks(record, out);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const InputError& e) {
        out.push_back(e.diagnostic());
    } catch (const std::exception& e) {
        const SourceLocation& loc = recordLocation(record);
        out.push_back(Diagnostic{Severity::Error, ErrorCode::InconsistentRecord, loc.file, loc.line,
                                 loc.pointer,
                                 std::string("the record cannot be checked: ") + e.what()});
    }
    return out;
}

std::vector<Diagnostic> validate(const Record& record, const HardwareCatalog* hardware) {
    std::vector<Diagnostic> out;
    // Values first: the shape checks divide, and a zero divisor must be reported, not thrown.
    detail::checkValues(record, out);
    for (const Diagnostic& d : out)
        if (d.severity == Severity::Error) return out;
    for (Diagnostic& d : RecordReader(ReadLimits{}, hardware).validate(record))
        out.push_back(std::move(d));
    return out;
}

ReadResult RecordReader::load(const std::string& path) const {
    return withValidation(readPath(path));
}

ReadResult RecordReader::loadText(std::string_view text, const std::string& fileName) const {
    return withValidation(readText(text, fileName));
}

ReadResult RecordReader::withValidation(ReadResult read) const {
    // The reader may already have reported what validate() finds: each line once, in order.
    std::unordered_set<std::string> seen;
    for (const Diagnostic& d : read.diagnostics) seen.insert(d.toString());
    for (const Record& record : read.records) {
        for (Diagnostic& d : validate(record)) {
            if (seen.insert(d.toString()).second) read.diagnostics.push_back(std::move(d));
        }
    }
    return read;
}

void RecordReader::semanticChecks(const Record& record, std::vector<Diagnostic>& out) const {
    const HardwareCatalog& hw = hardware_ ? *hardware_ : HardwareCatalog::defaults();
    if (const auto* m = std::get_if<ModelRecord>(&record)) {
        Checker c(m->location, hw, out);
        if (m->architecture) c.architecture(*m->architecture);
        for (const Stage& s : m->stages) c.stage(s, m->architecture.has_value());
        detail::checkModelFeatures(
            *m, [&c](ErrorCode code, const std::string& at, std::string msg, Severity sev) {
                c.error(code, at, std::move(msg), sev);
            });
    } else {
        const auto& cl = std::get<ClusterRecord>(record);
        Checker c(cl.location, hw, out);
        if (!cl.accelerator.empty() || !cl.peakFlopPerS) {
            if (cl.accelerator.empty())
                c.error(ErrorCode::MissingField, "",
                        "a cluster needs \"accelerator\" or \"peak_flop_per_s\"");
            else
                c.accelerator(cl.accelerator, std::nullopt, "");
        }
        if (!cl.count && !cl.peakFlopPerS)
            c.error(ErrorCode::MissingField, "",
                    "a cluster needs \"count\" or \"peak_flop_per_s\"");
    }
}

}  // namespace flopledger
