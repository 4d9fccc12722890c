#pragma once
// Private: per-stage plans (which methods apply, which defaults are assumed) and the stage
// formulas as templates over the number type, shared by Estimator (Exact) and the Monte Carlo
// (double).
#include "estimate/architecture_model.hpp"

#include <flopledger/estimate.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace flopledger::inline v1::detail {

/// A constant known exactly, with its nearest double for the Monte Carlo.
struct ExactConst {
    Exact exact;
    double dbl = 0;
    LazyRational lazy;

    ExactConst() = default;
    /// The double is filled in by the Monte Carlo only (prepareDoubles): the exact path never
    /// needs it.
    explicit ExactConst(const Exact& v) : exact(v), lazy(v) {}
};

template <class T>
const T& constOf(const ExactConst& c);
template <>
inline const Exact& constOf<Exact>(const ExactConst& c) {
    return c.exact;
}
template <>
inline const double& constOf<double>(const ExactConst& c) {
    return c.dbl;
}
template <>
inline const LazyRational& constOf<LazyRational>(const ExactConst& c) {
    return c.lazy;
}

/// A diagnostic found while planning; located by the estimator.
struct PlanNote {
    Severity severity = Severity::Warning;
    ErrorCode code = ErrorCode::AssumptionUsed;
    std::string pointer;
    std::string message;
};

/// Stage kinds that run the model forward only (no gradients).
bool isForwardOnly(StageKind k);

enum class TokensFrom { None, Tokens, ExamplesTimesSeq, ExamplesTimesImage };
enum class UnitsFrom { None, Tokens, ExamplesTimesSeq, Examples, TokensOverSeq, TokensOverImage };
enum class SeqFrom { None, Given, TokensOverExamples };
enum class ParamsFrom { None, Quantity, DerivedActive, DerivedTotal };

struct StagePlan {
    const Stage* stage = nullptr;
    bool forwardOnly = false;
    std::array<bool, kMethodCount> applies{};
    std::optional<Method> chosen;
    std::optional<Method> opCount;  ///< the non-hardware method compared with hardware capacity
    // architecture
    UnitsFrom units = UnitsFrom::None;
    SeqFrom seq = SeqFrom::None;
    bool recompute = false;  ///< add one forward pass of the blocks as hardware FLOP
    /// The architecture method's FLOP per component (StageValues::comps) is wanted (the
    /// breakdown); without it the exact totals are summed per unit first (fast paths).
    bool components = true;
    // six-nd
    TokensFrom tokens = TokensFrom::None;
    ParamsFrom params = ParamsFrom::None;
    const Quantity* paramsQuantity = nullptr;
    // hardware
    bool chipHours = false;
    ExactConst peak;
    std::optional<ExactConst> utilization;  ///< default or forced; else the stated quantity
    Precision precision = Precision::Bf16;
};

/// Fills the double copies of a plan's constants (Monte Carlo).
inline void prepareDoubles(StagePlan& sp) {
    sp.peak.dbl = toDouble(sp.peak.exact);
    if (sp.utilization) sp.utilization->dbl = toDouble(sp.utilization->exact);
}

/// Decides once per architecture; notes (assumptions, shape problems, missing inputs) are
/// appended to `notes` when given. `basePointer` is the architecture's JSON pointer.
ArchPlan planArchitecture(const Architecture& arch, const EstimateOptions& options,
                          const std::string& basePointer, std::vector<PlanNote>* notes,
                          std::vector<std::string>* missing);

/// The v2 decoder features (architecture_plan_features.cpp): sets the plan's flags, notes what
/// is ignored or assumed and appends missing inputs to `missing`.
void planDecoderFeatures(const Architecture& arch, ArchPlan& plan, const std::string& basePointer,
                         std::vector<PlanNote>* notes, std::vector<std::string>& missing);

/// Decides once per stage which methods apply and what is assumed.
StagePlan planStage(const ModelRecord& record, const Stage& stage, const ArchPlan* arch,
                    const EstimateOptions& options, const HardwareCatalog& hardware,
                    const std::vector<std::string>& archMissing, std::vector<PlanNote>* notes);

template <class T>
struct StageValues {
    std::array<T, kMethodCount> method{};
    T capacity{};
    T recompute{};
    std::array<T, kCompCount> comps{};  ///< stage FLOP per component (architecture method)
    std::uint32_t present = 0;
};

/// The architecture method's sequence and target lengths (evalStage's first step).
template <class T, class Get>
void stageSeqTarget(const StagePlan& sp, const Get& get, T& seq, T& target) {
    const Stage& st = *sp.stage;
    if (sp.seq == SeqFrom::Given) {
        seq = get(*st.seqLen);
    } else if (sp.seq == SeqFrom::TokensOverExamples) {
        seq = get(*st.tokens) / get(*st.examples);
        reduceWhole(seq);
    }
    target = st.targetLen ? T(get(*st.targetLen)) : seq;
}

/// The architecture method's totals from the forward FLOP per unit (evalStage's last step).
template <class T>
void addArchitectureTotals(const StagePlan& sp, const T& units, const Forward<T>& f,
                           StageValues<T>& out) {
    if constexpr (std::is_same_v<T, LazyRational> && kFastPaths) {
        // Exact values and no breakdown wanted: units x (sum of forward x factor) is the same
        // rational as the sum of the per-component products, with one multiplication by units
        // instead of one per component (doubles keep the per-component order below).
        if (!sp.components) {
            T total(0), blocks(0);
            for (std::uint32_t bits = f.present; bits != 0; bits &= bits - 1) {
                const int c = __builtin_ctz(bits);
                const T& fwd = f.v[static_cast<std::size_t>(c)];
                if (sp.recompute && compInBlocks(c)) blocks += fwd;
                if (sp.forwardOnly)
                    total += fwd;
                else
                    total += fwd * compTrainFactor(c);
            }
            out.present = f.present;
            out.method[static_cast<std::size_t>(Method::Architecture)] = total * units;
            if (sp.recompute) out.recompute = blocks * units;
            return;
        }
    }
    T total(0), blocks(0);
    // The present components in increasing order (the set bits), as a scan of every
    // component skipping the absent ones would visit them.
    for (std::uint32_t bits = f.present; bits != 0; bits &= bits - 1) {
        const int c = __builtin_ctz(bits);
        const T& fwd = f.v[static_cast<std::size_t>(c)];
        T v = fwd * units;
        if (sp.recompute && compInBlocks(c)) blocks += v;
        if (!sp.forwardOnly) v *= compTrainFactor(c);
        total += v;
        out.comps[static_cast<std::size_t>(c)] = std::move(v);
    }
    out.present = f.present;
    out.method[static_cast<std::size_t>(Method::Architecture)] = std::move(total);
    if (sp.recompute) out.recompute = std::move(blocks);
}

/// The vision tower's FLOP for the stage's images (architecture.vision, stage.images): a
/// frozen encoder runs forward only (neither its weights nor its pixels need gradients), and
/// the projector's first matrix then computes its weight gradient only (2 x forward); a trained
/// encoder costs 3 x forward except the patch projection (2 x, as the vit family).
template <class T>
void addVisionTotals(const StagePlan& sp, const ArchPlan& ap, const Shape<T>& s, const T& images,
                     StageValues<T>& out) {
    T patch, blocks, proj1, proj2;
    visionForward(ap, s, patch, blocks, proj1, proj2);
    const bool frozen = ap.arch->vision->frozen;
    T enc = sp.forwardOnly || frozen ? T(patch + blocks) : T(patch * 2 + blocks * 3);
    T proj = sp.forwardOnly ? T(proj1 + proj2) : T(proj1 * (frozen ? 2 : 3) + proj2 * 3);
    enc *= images;
    proj *= images;
    auto& total = out.method[static_cast<std::size_t>(Method::Architecture)];
    total += enc;
    total += proj;
    out.comps[static_cast<std::size_t>(Comp::VisionEncoder)] = std::move(enc);
    out.comps[static_cast<std::size_t>(Comp::VisionProjector)] = std::move(proj);
    out.present |= (1u << static_cast<int>(Comp::VisionEncoder)) |
                   (1u << static_cast<int>(Comp::VisionProjector));
}

/// The stage's FLOP by every applicable method at one endpoint (or one sample). Every Quantity
/// read here must also be listed in estimator.cpp's stageVaries / architectureVaries, which let
/// the estimator evaluate a stage with point inputs once instead of at three endpoints.
/// `fixedForward`, when given, is forwardPerUnit's result for this stage's shape, seq and target
/// (the Monte Carlo computes it once when none of them is drawn): the same values, reused.
template <class T, class Get>
void evalStage(const StagePlan& sp, const ArchPlan* ap, const Shape<T>* shape,
               const Params<T>* params, const Get& get, StageValues<T>& out,
               const Forward<T>* fixedForward = nullptr) {
    const Stage& st = *sp.stage;
    constexpr auto idx = [](Method m) { return static_cast<std::size_t>(m); };
    if (sp.applies[idx(Method::Stated)]) out.method[idx(Method::Stated)] = get(*st.flop);

    if (sp.applies[idx(Method::Architecture)]) {
        T seq{}, target{}, units{};
        stageSeqTarget(sp, get, seq, target);
        switch (sp.units) {
            case UnitsFrom::Tokens:
                units = get(*st.tokens);
                break;
            case UnitsFrom::ExamplesTimesSeq:
                units = get(*st.examples) * seq;
                break;
            case UnitsFrom::Examples:
                units = get(*st.examples);
                break;
            case UnitsFrom::TokensOverSeq:
                units = get(*st.tokens) / seq;
                break;
            case UnitsFrom::TokensOverImage:
                units = get(*st.tokens) / shape->imageTokens;
                break;
            case UnitsFrom::None:
                break;
        }
        reduceWhole(units);
        if (fixedForward)
            addArchitectureTotals(sp, units, *fixedForward, out);
        else
            addArchitectureTotals(sp, units, forwardPerUnit(*ap, *shape, seq, target), out);
        if (ap->vision && st.images) addVisionTotals(sp, *ap, *shape, T(get(*st.images)), out);
    }

    if (sp.applies[idx(Method::SixNd)]) {
        T n{}, d{};
        switch (sp.params) {
            case ParamsFrom::Quantity:
                n = get(*sp.paramsQuantity);
                break;
            case ParamsFrom::DerivedActive:
                n = params->active;
                break;
            case ParamsFrom::DerivedTotal:
                n = params->total;
                break;
            case ParamsFrom::None:
                break;
        }
        switch (sp.tokens) {
            case TokensFrom::Tokens:
                d = get(*st.tokens);
                break;
            case TokensFrom::ExamplesTimesSeq:
                d = get(*st.examples) * get(*st.seqLen);
                break;
            case TokensFrom::ExamplesTimesImage:
                d = get(*st.examples) * shape->imageTokens;
                break;
            case TokensFrom::None:
                break;
        }
        T v = n * d * (sp.forwardOnly ? 2 : 6);
        // Without an architecture count, recomputation is one more forward pass, 2ND.
        if (sp.recompute && !sp.applies[idx(Method::Architecture)]) out.recompute = v / 3;
        out.method[idx(Method::SixNd)] = std::move(v);
    }

    if (sp.applies[idx(Method::Hardware)]) {
        const HardwareUse& hw = *st.hardware;
        T chipSeconds =
            sp.chipHours ? T(get(*hw.chipHours) * 3600) : T(get(*hw.count) * get(*hw.hours) * 3600);
        out.capacity = chipSeconds * constOf<T>(sp.peak);
        const T& u = sp.utilization ? constOf<T>(*sp.utilization) : get(*hw.utilization);
        out.method[idx(Method::Hardware)] = out.capacity * u;
    }
}

}  // namespace flopledger::inline v1::detail

namespace flopledger::inline v1::detail {

/// Calls fn(const Quantity&) for every numeric input of an architecture. The estimator's
/// "does this vary" checks use the same lists, so a new input cannot be missed by one of them.
template <class Fn>
void forEachArchitectureQuantity(const Architecture& a, const Fn& fn) {
    for (const auto* q :
         {&a.params, &a.activeParams, &a.layers, &a.encoderLayers, &a.decoderLayers, &a.dModel,
          &a.heads, &a.kvHeads, &a.headDim, &a.ffn, &a.vocab, &a.imageSize, &a.patchSize,
          &a.channels, &a.classes, &a.forwardFlopPerExample}) {
        if (*q) fn(**q);
    }
    if (a.moe) {
        fn(a.moe->experts);
        fn(a.moe->active);
        fn(a.moe->shared);
        if (a.moe->expertFfn) fn(*a.moe->expertFfn);
        fn(a.moe->denseLayers);
    }
    for (const auto* q : {&a.slidingWindow, &a.mtpDepth, &a.attentionLayers, &a.ffnLayers}) {
        if (*q) fn(**q);
    }
    if (a.mla) {
        for (const Quantity* q : {&a.mla->qLoraRank, &a.mla->kvLoraRank, &a.mla->qkNopeHeadDim,
                                  &a.mla->qkRopeHeadDim, &a.mla->vHeadDim})
            fn(*q);
    }
    for (const auto* w : {&a.localGlobal, &a.chunkedAttention}) {
        if (*w) {
            fn((*w)->span);
            fn((*w)->globalEvery);
        }
    }
    if (a.ssm) {
        for (const Quantity* q :
             {&a.ssm->layers, &a.ssm->dInner, &a.ssm->dState, &a.ssm->heads, &a.ssm->groups,
              &a.ssm->convKernel, &a.ssm->chunkSize, &a.ssm->dtRank})
            fn(*q);
    }
    if (a.vision) {
        const VisionTower& v = *a.vision;
        for (const Quantity* q : {&v.layers, &v.dModel, &v.heads, &v.ffn, &v.imageSize,
                                  &v.patchSize, &v.channels, &v.projectorHidden})
            fn(*q);
    }
}

/// Calls fn(const Quantity&) for every numeric input of a stage.
template <class Fn>
void forEachStageQuantity(const Stage& s, const Fn& fn) {
    for (const auto* q : {&s.tokens, &s.examples, &s.seqLen, &s.targetLen, &s.flop, &s.params,
                          &s.activeParams, &s.costUsd, &s.images}) {
        if (*q) fn(**q);
    }
    if (s.hardware) {
        for (const auto* q : {&s.hardware->count, &s.hardware->hours, &s.hardware->chipHours,
                              &s.hardware->utilization}) {
            if (*q) fn(**q);
        }
    }
}

/// Calls fn(const Quantity&) for every numeric input of a record that the estimate can use.
template <class Fn>
void forEachQuantity(const ModelRecord& r, const Fn& fn) {
    if (r.architecture) forEachArchitectureQuantity(*r.architecture, fn);
    for (const Stage& s : r.stages) forEachStageQuantity(s, fn);
    for (const auto* q : {&r.bioSequenceShare, &r.developerRevenueUsd}) {
        if (*q) fn(**q);
    }
    if (r.parent && r.parent->trainingFlop) fn(*r.parent->trainingFlop);
    if (r.reported && r.reported->trainingFlop) fn(*r.reported->trainingFlop);
}

}  // namespace flopledger::inline v1::detail
