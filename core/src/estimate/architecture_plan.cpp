// Planning: which inputs exist, which defaults apply and which methods a stage allows. Done once
// per record, so the formulas (architecture_model.hpp) stay pure arithmetic.
#include "estimate/architecture_stage.hpp"

#include <boost/container/small_vector.hpp>

#include <array>
#include <string_view>
#include <utility>

namespace flopledger::inline v1::detail {

namespace {

constexpr std::array<std::string_view, kCompCount> kCompNames = {
    "embedding",
    "patch-embedding",
    "vision-encoder",
    "vision-projector",
    "latent-down-projections",
    "latent-up-projections",
    "rope-key",
    "attention-projections",
    "attention-scores",
    "softmax",
    "attention-values",
    "cross-attention-projections",
    "cross-attention-scores",
    "cross-attention-values",
    "ssm-projections",
    "ssm-conv",
    "ssm-scan",
    "mlp",
    "router",
    "experts",
    "shared-experts",
    "logits",
    "mtp-projection",
    "mtp-block",
    "mtp-head",
    "mlm-head",
    "pooler",
    "classifier",
    "forward",
};

std::string formatCentral(const Exact& v) {
    // Shape values are whole numbers in practice; show fractions as p/q.
    return v.str();
}

void note(std::vector<PlanNote>* notes, Severity sev, ErrorCode code, std::string pointer,
          std::string message) {
    if (notes) notes->push_back({sev, code, std::move(pointer), std::move(message)});
}

/// A stage's hardware field pointer (st.pointer + "/hardware" + field), in one allocation.
std::string hardwarePointer(const Stage& st, std::string_view field) {
    constexpr std::string_view kHardware = "/hardware";
    std::string p;
    p.reserve(st.pointer.size() + kHardware.size() + field.size());
    p += st.pointer;
    p += kHardware;
    p += field;
    return p;
}

/// v.str(), remembered for the last two values shown on this thread: the assumed utilization
/// is one of the two defaults (language models, others) for every stage that states none.
const std::string& exactText(const Exact& v) {
    struct Entry {
        Exact value;
        std::string text;
        bool have = false;
    };
    thread_local Entry entries[2];
    thread_local int next = 0;
    if (detail::kFastPaths) {
        for (Entry& e : entries) {
            if (e.have && detail::sameExact(v, e.value)) return e.text;
        }
    }
    Entry& e = entries[next];
    next = 1 - next;
    e.text = v.str();
    e.value = v;
    e.have = true;
    return e.text;
}

bool positive(const std::optional<Quantity>& q) {
    return q && detail::signOf(q->value.low) > 0;  // no rational compare
}

/// Whether x / y is a whole number (y != 0), without cpp_rational's gcd-normalising division.
bool dividesWhole(const Exact& x, const Exact& y) {
    LazyRational q(x);
    q /= LazyRational(y);
    q.reduceWhole();
    return q.isWhole();
}

/// a > b by integer comparison or cross-multiplication (cpp_rational's operator> in Boost 1.74
/// walks continued fractions).
bool greater(const Exact& a, const Exact& b) {
    return LazyRational(b) < LazyRational(a);
}

}  // namespace

std::string_view compName(int c) {
    return kCompNames.at(static_cast<std::size_t>(c));
}

bool isForwardOnly(StageKind k) {
    return k == StageKind::SyntheticData || k == StageKind::DistillationTeacher ||
           k == StageKind::Evaluation || k == StageKind::Inference;
}

ArchPlan planArchitecture(const Architecture& a, const EstimateOptions& options,
                          const std::string& base, std::vector<PlanNote>* notes,
                          std::vector<std::string>* missing) {
    ArchPlan p;
    p.arch = &a;
    p.family = a.family;
    p.convention = options.convention;
    p.mlpMatrices = a.mlp == MlpKind::Gated ? 3 : 2;
    p.tied = a.tiedEmbeddings;
    p.palm = options.palmParams;
    p.padVocab = options.megatronPadVocab;
    p.vocabMultiple = options.megatronVocabMultiple > 0 ? options.megatronVocabMultiple : 1;
    p.allExperts = options.moe == MoeCounting::AllExperts;
    std::vector<std::string> miss;
    auto need = [&](const std::optional<Quantity>& q, const char* name) {
        if (!q) miss.emplace_back(name);
    };
    // Divisors and counts that make the shape meaningless when zero.
    auto needPositive = [&](const std::optional<Quantity>& q, const char* name) {
        if (!q) {
            miss.emplace_back(name);
        } else if (!positive(q)) {
            note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/" + name,
                 std::string(name) + " must be positive; the architecture method is skipped");
            miss.emplace_back(name);
        }
    };

    if (a.family == Family::Generic) {
        p.needsSeq = false;
        need(a.forwardFlopPerExample, "forward_flop_per_example");
        p.shapeValid = miss.empty();
        if (missing) *missing = std::move(miss);
        return p;
    }
    if (a.family != Family::Decoder && p.convention != Convention::Matmul) {
        note(notes, Severity::Note, ErrorCode::AssumptionUsed, base + "/family",
             "convention '" + std::string(toString(p.convention)) +
                 "' is defined for decoder models; the matmul convention is used for family '" +
                 std::string(toString(a.family)) + "'");
        p.convention = Convention::Matmul;
    }
    if (a.family == Family::EncoderDecoder) {
        needPositive(a.encoderLayers, "encoder_layers");
        needPositive(a.decoderLayers, "decoder_layers");
    } else {
        needPositive(a.layers, "layers");
    }
    needPositive(a.dModel, "d_model");
    needPositive(a.heads, "heads");
    p.hasHeadDim = a.headDim.has_value();
    p.hasKvHeads = a.kvHeads.has_value();
    p.hasVocab = a.vocab.has_value();
    p.hasClasses = a.classes.has_value();
    if (!a.ffn) {
        if (a.mlp == MlpKind::Plain && a.dModel) {
            p.defaultFfn = true;
            note(notes, Severity::Note, ErrorCode::AssumptionUsed, base + "/ffn",
                 "ffn not given; assumed 4 x d_model (plain MLP)");
        } else {
            miss.emplace_back("ffn");
        }
    }
    const bool vocabNeeded =
        a.family == Family::EncoderDecoder ||
        (a.family == Family::Decoder &&
         (p.convention == Convention::Matmul || p.convention == Convention::Chinchilla ||
          p.convention == Convention::Megatron ||
          (p.convention == Convention::Palm && p.palm != PalmParams::NonEmbedding)));
    if (vocabNeeded) need(a.vocab, "vocab");
    if (a.family == Family::Vit) {
        p.needsSeq = false;
        needPositive(a.imageSize, "image_size");
        needPositive(a.patchSize, "patch_size");
        if (!a.channels) {
            p.defaultChannels = true;
            note(notes, Severity::Note, ErrorCode::AssumptionUsed, base + "/channels",
                 "channels not given; assumed 3 (RGB)");
        }
        if (a.imageSize && a.patchSize && positive(a.patchSize) &&
            !dividesWhole(a.imageSize->central(), a.patchSize->central())) {
            note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/patch_size",
                 "patch_size does not divide image_size");
        }
    }
    if (a.moe) {
        p.moe = true;
        const MoeShape& m = *a.moe;
        if (m.experts.value.low.sign() <= 0) {
            note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/moe/experts",
                 "moe.experts must be positive; the architecture method is skipped");
            miss.emplace_back("moe.experts");
        } else if (greater(m.active.value.high, m.experts.value.low)) {
            note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/moe/active",
                 "moe.active (" + formatCentral(m.active.central()) + ") exceeds moe.experts (" +
                     formatCentral(m.experts.central()) + "); the architecture method is skipped");
            miss.emplace_back("moe.active");
        }
        const std::optional<Quantity>& layers =
            a.family == Family::EncoderDecoder ? a.decoderLayers : a.layers;
        if (layers && greater(m.denseLayers.value.high, layers->value.low) &&
            a.family != Family::EncoderDecoder) {
            note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/moe/dense_layers",
                 "moe.dense_layers exceeds layers; the architecture method is skipped");
            miss.emplace_back("moe.dense_layers");
        }
    }
    // Divisibility problems leave the formulas defined (fractional widths), so they only warn.
    if (a.dModel && a.heads && positive(a.heads) && !p.hasHeadDim &&
        !dividesWhole(a.dModel->central(), a.heads->central())) {
        note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/heads",
             "heads (" + formatCentral(a.heads->central()) + ") does not divide d_model (" +
                 formatCentral(a.dModel->central()) + ")");
    }
    if (a.kvHeads && a.heads && positive(a.kvHeads) &&
        (greater(a.kvHeads->central(), a.heads->central()) ||
         !dividesWhole(a.heads->central(), a.kvHeads->central()))) {
        note(notes, Severity::Warning, ErrorCode::ShapeMismatch, base + "/kv_heads",
             "kv_heads (" + formatCentral(a.kvHeads->central()) + ") does not divide heads (" +
                 formatCentral(a.heads->central()) + ")");
    }
    planDecoderFeatures(a, p, base, notes, miss);
    p.shapeValid = miss.empty();
    if (missing) *missing = std::move(miss);
    return p;
}

namespace {

// What would have enabled a method, for W815: (prefix, name) views, no allocation; only joined
// into a message when no method applies.
using MissingInputs =
    boost::container::small_vector<std::pair<std::string_view, std::string_view>, 16>;

constexpr std::size_t idx(Method m) {
    return static_cast<std::size_t>(m);
}

/// The architecture method: the record's own architecture, not a stage run on another model.
void planArchitectureMethod(StagePlan& sp, const Stage& st, const Architecture* a,
                            const ArchPlan* ap, bool ownModel,
                            const std::vector<std::string>& archMissing, MissingInputs& missing) {
    const auto miss = [&missing](std::string_view what) { missing.emplace_back("", what); };
    if (a && !ownModel && ap) {
        if (!ap->shapeValid) {
            for (const auto& m : archMissing) missing.emplace_back("architecture.", m);
        } else if (ap->family == Family::Vit) {
            if (st.examples) {
                sp.units = UnitsFrom::Examples;
            } else if (st.tokens) {
                sp.units = UnitsFrom::TokensOverImage;
            }
        } else if (ap->family == Family::Generic) {
            if (st.examples) {
                sp.units = UnitsFrom::Examples;
            } else if (st.tokens && sp.seq != SeqFrom::None) {
                sp.units = UnitsFrom::TokensOverSeq;
            }
        } else if (sp.seq != SeqFrom::None) {
            if (st.tokens) {
                sp.units = UnitsFrom::Tokens;
            } else if (st.examples) {
                sp.units = UnitsFrom::ExamplesTimesSeq;
            }
        } else {
            miss("seq_len");
        }
        if (ap->shapeValid && sp.units == UnitsFrom::None) miss("tokens or examples");
        sp.applies[idx(Method::Architecture)] = sp.units != UnitsFrom::None;
    } else if (!a && !ownModel) {
        miss("architecture");
    }
}

/// six-nd: N from the stage's own model, else the record's architecture.
void planSixNdMethod(StagePlan& sp, const Stage& st, const Architecture* a, const ArchPlan* ap,
                     bool ownModel, const EstimateOptions& options, MissingInputs& missing) {
    const bool all = options.moe == MoeCounting::AllExperts;
    if (ownModel) {
        sp.params = ParamsFrom::Quantity;
        sp.paramsQuantity = all ? (st.params ? &*st.params : &*st.activeParams)
                                : (st.activeParams ? &*st.activeParams : &*st.params);
    } else if (a) {
        const bool derivable = ap && ap->shapeValid && ap->family != Family::Generic &&
                               (ap->hasVocab || ap->family == Family::Vit);
        if (all) {
            if (a->params) {
                sp.params = ParamsFrom::Quantity;
                sp.paramsQuantity = &*a->params;
            } else if (derivable) {
                sp.params = ParamsFrom::DerivedTotal;
            } else if (a->activeParams) {
                sp.params = ParamsFrom::Quantity;
                sp.paramsQuantity = &*a->activeParams;
            }
        } else if (a->activeParams || a->params) {
            sp.params = ParamsFrom::Quantity;
            sp.paramsQuantity = a->activeParams ? &*a->activeParams : &*a->params;
        } else if (derivable) {
            sp.params = ParamsFrom::DerivedActive;
        }
    }
    if (st.tokens) {
        sp.tokens = TokensFrom::Tokens;
    } else if (st.examples && st.seqLen) {
        sp.tokens = TokensFrom::ExamplesTimesSeq;
    } else if (st.examples && ap && ap->shapeValid && ap->family == Family::Vit) {
        sp.tokens = TokensFrom::ExamplesTimesImage;
    }
    sp.applies[idx(Method::SixNd)] = sp.params != ParamsFrom::None && sp.tokens != TokensFrom::None;
    if (sp.params == ParamsFrom::None) missing.emplace_back("", "params");
    if (sp.tokens == TokensFrom::None) missing.emplace_back("", "tokens");
}

/// The dense peak the hardware method uses: the forced or stated precision, else bf16 assumed
/// (chips without bf16, such as V100, fall back to fp16, then fp32). Null when the chip
/// publishes none (noted).
const PeakFigure* planPeak(StagePlan& sp, const Accelerator& acc, const HardwareUse& hw,
                           const EstimateOptions& options, const Stage& st,
                           std::vector<PlanNote>* notes) {
    const PeakFigure* peak = nullptr;
    if (options.forcePrecision) {
        sp.precision = *options.forcePrecision;
        peak = acc.peak(sp.precision);
    } else if (hw.precision) {
        sp.precision = *hw.precision;
        peak = acc.peak(sp.precision);
    } else {
        for (Precision pr : {options.defaultPrecision, Precision::Fp16, Precision::Fp32}) {
            if ((peak = acc.peak(pr))) {
                sp.precision = pr;
                break;
            }
        }
        if (peak) {
            note(notes, Severity::Note, ErrorCode::AssumptionUsed,
                 hardwarePointer(st, "/precision"),
                 "precision not given; assumed " + std::string(toString(sp.precision)) +
                     " (dense peak of " + acc.id + ")");
        }
    }
    if (!peak) {
        note(notes, Severity::Warning, ErrorCode::UnsupportedPrecision,
             hardwarePointer(st, "/precision"),
             acc.id + " publishes no dense peak for " + std::string(toString(sp.precision)) +
                 "; the hardware method is skipped");
    }
    return peak;
}

/// The Epoch default utilization when the record states none: language models and others
/// differ.
void assumeUtilization(StagePlan& sp, const ModelRecord& record, const Architecture* a,
                       const EstimateOptions& options, const Stage& st,
                       std::vector<PlanNote>* notes) {
    bool language = false;
    for (Modality m : record.modalities) {
        language = language || m == Modality::Text || m == Modality::Code;
    }
    if (record.modalities.empty() && a) {
        language = a->family == Family::Decoder || a->family == Family::Encoder ||
                   a->family == Family::EncoderDecoder;
    }
    const Exact& u =
        language ? options.defaultUtilizationLanguage : options.defaultUtilizationOther;
    sp.utilization = ExactConst(u);
    if (!notes) return;
    note(notes, Severity::Note, ErrorCode::AssumptionUsed, hardwarePointer(st, "/utilization"),
         "utilization not given; assumed " + exactText(u) +
             (language ? " (Epoch default for language models)"
                       : " (Epoch default for non-language models)"));
}

/// Hardware: chips x seconds x dense peak x utilization.
void planHardwareMethod(StagePlan& sp, const ModelRecord& record, const Stage& st,
                        const Architecture* a, const EstimateOptions& options,
                        const HardwareCatalog& hardware, std::vector<PlanNote>* notes,
                        MissingInputs& missing) {
    if (!st.hardware) {
        missing.emplace_back("", "hardware");
        return;
    }
    const HardwareUse& hw = *st.hardware;
    const Accelerator* acc = hardware.find(hw.accelerator);
    bool ok = true;
    if (!acc) {
        note(notes, Severity::Warning, ErrorCode::UnknownAccelerator,
             hardwarePointer(st, "/accelerator"),
             "unknown accelerator '" + hw.accelerator +
                 "'; the hardware method is skipped (see 'hardware list')");
        ok = false;
    }
    if (hw.chipHours) {
        sp.chipHours = true;
    } else if (!(hw.count && hw.hours)) {
        missing.emplace_back("", "hardware.count and hardware.hours (or chip_hours)");
        ok = false;
    }
    const PeakFigure* peak = acc ? planPeak(sp, *acc, hw, options, st, notes) : nullptr;
    if (!ok || !peak) return;
    sp.peak = ExactConst(peak->dense);
    if (options.forceUtilization) {
        sp.utilization = ExactConst(*options.forceUtilization);
    } else if (!hw.utilization) {
        assumeUtilization(sp, record, a, options, st, notes);
    }
    sp.applies[idx(Method::Hardware)] = true;
}

/// The chosen method (the preference order, then the contract order for unlisted methods), and
/// the note when none applies.
void chooseMethod(StagePlan& sp, const Stage& st, const EstimateOptions& options,
                  const MissingInputs& missing, std::vector<PlanNote>* notes) {
    const auto consider = [&](Method m) {
        if (!sp.applies[idx(m)]) return;
        if (!sp.chosen) sp.chosen = m;
        if (!sp.opCount && m != Method::Hardware) sp.opCount = m;
    };
    for (Method m : options.prefer) consider(m);
    for (Method m : {Method::Stated, Method::Architecture, Method::SixNd, Method::Hardware}) {
        bool listed = false;
        for (Method o : options.prefer) listed = listed || o == m;
        if (!listed) consider(m);
    }
    if (!sp.chosen && st.undisclosed) {
        // Declared as undisclosed by the record: not an input error, but the totals that count
        // this stage are lower bounds, so say so.
        note(notes, Severity::Note, ErrorCode::StageNotEstimated, st.pointer,
             std::string(toString(st.kind)) +
                 " stage compute not disclosed by the developer; counted as 0 FLOP (totals that "
                 "include it are lower bounds)");
    } else if (!sp.chosen) {
        std::string what;
        for (const auto& [prefix, name] : missing) {
            if (!what.empty()) what += ", ";
            what += prefix;
            what += name;
        }
        note(notes, Severity::Warning, ErrorCode::StageNotEstimated, st.pointer,
             "no method can estimate this " + std::string(toString(st.kind)) +
                 " stage (missing: " + what + "); counted as 0 FLOP");
    }
}

}  // namespace

StagePlan planStage(const ModelRecord& record, const Stage& st, const ArchPlan* ap,
                    const EstimateOptions& options, const HardwareCatalog& hardware,
                    const std::vector<std::string>& archMissing, std::vector<PlanNote>* notes) {
    StagePlan sp;
    sp.stage = &st;
    sp.forwardOnly = isForwardOnly(st.kind);
    const Architecture* a = record.architecture ? &*record.architecture : nullptr;
    const bool ownModel = st.params || st.activeParams;
    MissingInputs missing;

    sp.applies[idx(Method::Stated)] = st.flop.has_value();

    // Sequence length: given, or tokens / examples.
    if (st.seqLen && positive(st.seqLen)) {
        sp.seq = SeqFrom::Given;
    } else if (!st.seqLen && st.tokens && positive(st.examples)) {
        sp.seq = SeqFrom::TokensOverExamples;
    }

    planArchitectureMethod(sp, st, a, ap, ownModel, archMissing, missing);
    planSixNdMethod(sp, st, a, ap, ownModel, options, missing);
    planHardwareMethod(sp, record, st, a, options, hardware, notes, missing);
    sp.recompute = st.recompute && !sp.forwardOnly;
    chooseMethod(sp, st, options, missing, notes);
    return sp;
}

}  // namespace flopledger::inline v1::detail
