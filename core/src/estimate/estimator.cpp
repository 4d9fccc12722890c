// The estimator: plans each stage once, then evaluates the shared formulas exactly at the low,
// central and high endpoints of the inputs (or once when every input is a point).
#include "estimate/architecture_stage.hpp"
#include "estimate/estimate_parts.hpp"
#include "estimate/slot.hpp"

#include <flopledger/estimate.hpp>
#include <flopledger/provenance.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <type_traits>

namespace flopledger::inline v1 {

namespace {

constexpr std::array<std::string_view, 5> kConventionNames = {"matmul", "kaplan", "chinchilla",
                                                              "palm", "megatron"};
constexpr std::array<std::string_view, kMethodCount> kMethodNames = {"stated", "architecture",
                                                                     "six-nd", "hardware"};

/// Reads a Quantity at one endpoint: 0 low, 1 central, 2 high.
struct EndpointGet {
    int endpoint;
    const Exact& operator()(const Quantity& q) const {
        return endpoint == 0 ? q.value.low : endpoint == 1 ? q.value.central : q.value.high;
    }
};

/// The same, as a LazyRational (the estimator's fast exact type).
struct LazyGet {
    int endpoint;
    detail::LazyRational operator()(const Quantity& q) const {
        return detail::LazyRational(EndpointGet{endpoint}(q));
    }
};

using detail::LazyRational;

/// r = makeInterval(n, a, b, c), written into r's values (an interval the thread's previous
/// estimate left keeps its storage).
void writeInterval(Interval& r, int n, const LazyRational& a, const LazyRational& b,
                   const LazyRational& c) {
    // Three endpoints of the same value (a formula that does not read the varying input):
    // converted once, as for a point.
    if (n == 1 || (detail::kFastPaths && a.sameFast(b) && a.sameFast(c))) {
        if (a.isFast() && a.isWhole()) {
            a.assignTo(r.low);
            a.assignTo(r.central);
            a.assignTo(r.high);
        } else {
            a.assignTo(r.low);  // a fraction reduced into r.low's parts (no Exact to move)
            r.central = r.low;
            r.high = r.low;
        }
        return;
    }
    // Order before converting: comparing lazy rationals is a cross-multiplication, comparing
    // cpp_rationals is far slower.
    const LazyRational* p[3] = {&a, &b, &c};
    if (*p[1] < *p[0]) std::swap(p[0], p[1]);
    if (*p[2] < *p[1]) std::swap(p[1], p[2]);
    if (*p[1] < *p[0]) std::swap(p[0], p[1]);
    p[0]->assignTo(r.low);
    p[1]->assignTo(r.central);
    p[2]->assignTo(r.high);
}

Interval makeInterval(int n, const LazyRational& a, const LazyRational& b, const LazyRational& c) {
    // One named result (built in the caller's destination): each endpoint is written into it.
    Interval r;
    writeInterval(r, n, a, b, c);
    return r;
}

/// The optional's interval, engaged (a default interval) when it was not.
Interval& engaged(std::optional<Interval>& o) {
    return o ? *o : o.emplace();
}

/// o = makeInterval(n, a, b, c) when `want`, else empty; an engaged interval's storage is reused.
void putInterval(std::optional<Interval>& o, bool want, int n, const LazyRational& a,
                 const LazyRational& b, const LazyRational& c) {
    if (want)
        writeInterval(engaged(o), n, a, b, c);
    else
        o.reset();
}

/// makeInterval's result built in its destination: `optional<Interval>::emplace(MadeInterval{..})`
/// and aggregate emplace_back construct the Interval from the conversion's prvalue, with no
/// temporary Interval to move (three exact values each).
struct MadeInterval {
    int n;
    const LazyRational& a;
    const LazyRational& b;
    const LazyRational& c;
    operator Interval() const {  // NOLINT(google-explicit-constructor): used for emplace
        return makeInterval(n, a, b, c);
    }
};

/// A value built in its destination by `make()` (optional::emplace), like MadeInterval.
template <class F>
struct BuiltBy {
    F make;
    operator std::invoke_result_t<const F&>() const {  // NOLINT(google-explicit-constructor)
        return make();
    }
};
template <class F>
BuiltBy(F) -> BuiltBy<F>;

/// Builds an interval from endpoint evaluations; the formulas are monotone for monotone inputs,
/// but a shape whose inputs pull in opposite directions (e.g. heads in d_model / heads) could
/// reorder them, so the bounds are sorted to keep low <= central <= high.
Interval makeInterval(int n, const Exact& a, const Exact& b, const Exact& c) {
    if (n == 1) return Interval::point(a);
    Interval r{a, b, c};
    if (r.low > r.central) std::swap(r.low, r.central);
    if (r.central > r.high) std::swap(r.central, r.high);
    if (r.low > r.central) std::swap(r.low, r.central);
    return r;
}

/// Whether any input is an interval. The reader counts them (uncertainCount); records built in
/// code may not, so a zero count is checked. Comparing the cpp_int parts directly avoids
/// cpp_rational's slow equality.
bool anyUncertainIn(const ModelRecord& r) {
    if (r.uncertainCount > 0) return true;
    bool any = false;
    detail::forEachQuantity(
        r, [&](const Quantity& q) { any = any || !detail::sameExact(q.value.low, q.value.high); });
    return any;
}

/// Whether a quantity's endpoints differ (cpp_int parts compared, no rational comparison).
bool varies(const Quantity& q) {
    return !detail::sameExact(q.value.low, q.value.high) ||
           !detail::sameExact(q.value.low, q.value.central);
}

/// Whether any architecture input is an interval: then shapes and parameter counts differ
/// between endpoints.
bool architectureVaries(const Architecture& a) {
    bool any = false;
    detail::forEachArchitectureQuantity(a, [&](const Quantity& q) { any = any || varies(q); });
    return any;
}

/// Whether any of a stage's own inputs is an interval.
bool stageVaries(const Stage& s) {
    bool any = false;
    detail::forEachStageQuantity(s, [&](const Quantity& q) { any = any || varies(q); });
    return any;
}

/// Whether a stage's architecture method has the same sequence and target lengths at every
/// endpoint (then forwardPerUnit's result is the same at each, as in the Monte Carlo).
bool forwardFixed(const detail::StagePlan& sp) {
    if (!sp.applies[static_cast<std::size_t>(Method::Architecture)]) return false;
    const Stage& st = *sp.stage;
    if (st.targetLen && varies(*st.targetLen)) return false;
    if (sp.seq == detail::SeqFrom::Given) return !varies(*st.seqLen);
    if (sp.seq == detail::SeqFrom::TokensOverExamples)
        return !varies(*st.tokens) && !varies(*st.examples);
    return true;
}

/// forwardPerUnit at the central values, for a stage where forwardFixed holds.
detail::Forward<LazyRational> stageForward(const detail::StagePlan& sp, const detail::ArchPlan& ap,
                                           const detail::Shape<LazyRational>& shape) {
    LazyRational seq, target;
    detail::stageSeqTarget(sp, LazyGet{1}, seq, target);
    return detail::forwardPerUnit(ap, shape, seq, target);
}

// Contract 7.2: a labelled point read as an interval is an assumption (W805); a label outside
// Epoch's vocabulary keeps the point (W806).
void confidenceNote(const Stage& st, std::vector<detail::PlanNote>& notes) {
    if (st.confidenceInterval && st.flop) {
        const auto f = confidenceFactor(st.confidence);
        notes.push_back({Severity::Note, ErrorCode::ConfidenceInterval, st.pointer + "/flop",
                         "flop " + formatScientific(st.flop->central(), 3) + " labelled '" +
                             std::string(confidenceLabel(st.confidence)) + "' read as " +
                             formatScientific(st.flop->value.low, 3) + ".." +
                             formatScientific(st.flop->value.high, 3) + " (x" +
                             (f ? f->str() : std::string("?")) + ", docs/methodology.md)"});
    } else if (!confidenceFactor(st.confidence)) {
        notes.push_back({Severity::Warning, ErrorCode::UnknownConfidence,
                         st.pointer + "/confidence",
                         "confidence '" + st.confidence +
                             "' is not one of confident, likely, speculative; the point is kept"});
    }
}

Diagnostic locate(const ModelRecord& record, detail::PlanNote&& n) {
    Diagnostic d;
    d.severity = n.severity;
    d.code = n.code;
    d.file = record.location.file;
    d.line = record.location.line;
    d.pointer = std::move(n.pointer);
    d.message = std::move(n.message);
    return d;
}

/// |stated - derived| / derived > 5 %: the stated count and the shape describe different models.
void checkParams(const ModelRecord& record, const std::optional<Quantity>& stated,
                 const std::optional<Interval>& derived, const char* field,
                 std::vector<Diagnostic>& out) {
    if (!stated || !derived || derived->central.sign() <= 0) return;
    {
        // The common case (within 5 %) decided in the fast exact type.
        const LazyRational c(derived->central);
        LazyRational d = LazyRational(stated->central()) - c;
        if (d < 0) d = LazyRational(0) - d;
        if (d * 20 <= c) return;
    }
    Exact diff = stated->central() - derived->central;
    if (diff.sign() < 0) diff = -diff;
    Exact rel = diff / derived->central;
    Diagnostic d;
    d.severity = Severity::Warning;
    d.code = ErrorCode::ParamMismatch;
    d.file = record.location.file;
    d.line = record.location.line;
    d.pointer = record.location.pointer + "/architecture/" + field;
    d.message = std::string("stated ") + field + " " + formatScientific(stated->central(), 4) +
                " differs by " + formatScientific(rel * 100, 3) + "% from the shape's " +
                formatScientific(derived->central, 4) +
                " (norms, biases and position embeddings are not modelled)";
    out.push_back(std::move(d));
}

}  // namespace

std::string_view toString(Convention c) {
    return kConventionNames.at(static_cast<std::size_t>(c));
}
std::string_view toString(Method m) {
    return kMethodNames.at(static_cast<std::size_t>(m));
}

std::optional<Convention> parseConvention(std::string_view s) {
    for (std::size_t i = 0; i < kConventionNames.size(); ++i) {
        if (kConventionNames[i] == s) return static_cast<Convention>(i);
    }
    return std::nullopt;
}

std::optional<Method> parseMethod(std::string_view s) {
    for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
        if (kMethodNames[i] == s) return static_cast<Method>(i);
    }
    return std::nullopt;
}

Estimator::Estimator(EstimateOptions options) : options_(std::move(options)) {}

namespace {

// The three values of a stage's method as makeInterval orders them (low, central, high): the
// implied utilization divides these, as it divided the intervals written from them.
std::array<const LazyRational*, 3> ordered(int m, const LazyRational& a, const LazyRational& b,
                                           const LazyRational& c) {
    if (m == 1) return {&a, &a, &a};
    std::array<const LazyRational*, 3> p = {&a, &b, &c};
    if (*p[1] < *p[0]) std::swap(p[0], p[1]);
    if (*p[2] < *p[1]) std::swap(p[1], p[2]);
    if (*p[1] < *p[0]) std::swap(p[0], p[1]);
    return p;
}

// The implied utilization of a hardware stage (its operation count over the hardware's
// capacity), with a warning when it is implausible. `op` and `capacity` are the ordered
// endpoint values (see ordered()); the quotients are the same rationals as those of the
// written intervals.
void addImpliedUtilization(StageEstimate& se, const detail::StagePlan& sp, const Stage& st, int m,
                           const std::array<const LazyRational*, 3>& op,
                           const std::array<const LazyRational*, 3>& capacity,
                           std::vector<detail::PlanNote>& notes) {
    // Interval division (low / high, central / central, high / low) in the fast
    // exact type: the same values without cpp_rational's gcd per quotient.
    const LazyRational uc = *op[1] / *capacity[1];
    // Written into the interval in place (no Exact or Interval temporaries to move).
    Interval& iu = engaged(se.impliedUtilization);
    uc.assignTo(iu.central);
    if (m == 1) {
        iu.low = iu.central;
        iu.high = iu.central;
    } else {
        (*op[0] / *capacity[2]).assignTo(iu.low);
        (*op[2] / *capacity[0]).assignTo(iu.high);
    }
    const bool above = uc > 1;
    if (!above && !(uc * 20 < 1)) return;
    // The warning's text in one buffer (it is printed: most hardware stages of the uncertain
    // registry get one).
    const std::string u = formatScientific(iu.central, 3);
    const std::string_view method = toString(*sp.opCount);
    const std::string_view precision = toString(sp.precision);
    constexpr std::string_view kHead = "implied utilization ", kOpen = " (",
                               kMid = " / hardware capacity at ", kPeak = " dense peak) is ",
                               kTail = ": check the hardware figures or the operation count";
    const std::string_view bound = above ? "above 1" : "below 0.05";
    std::string message;
    message.reserve(kHead.size() + u.size() + kOpen.size() + method.size() + kMid.size() +
                    precision.size() + kPeak.size() + bound.size() + kTail.size());
    message.append(kHead).append(u).append(kOpen).append(method).append(kMid).append(precision);
    message.append(kPeak).append(bound).append(kTail);
    constexpr std::string_view kHardware = "/hardware";
    std::string pointer;
    pointer.reserve(st.pointer.size() + kHardware.size());
    pointer.append(st.pointer).append(kHardware);
    notes.push_back(
        {Severity::Warning, ErrorCode::ImpliedUtilization, std::move(pointer), std::move(message)});
}

/// Writes stage `st`'s estimate into `se` from its plan and its m endpoint evaluations (v0, v1,
/// v2). Every field is assigned or reset: `se` may be the thread's previous estimate's stage.
void writeStage(StageEstimate& se, const Stage& st, const detail::StagePlan& sp, int m,
                const detail::StageValues<LazyRational>& v0,
                const detail::StageValues<LazyRational>& v1,
                const detail::StageValues<LazyRational>& v2, bool breakdown, bool capacity,
                std::vector<detail::PlanNote>& notes) {
    se.kind = st.kind;
    se.label = st.label;
    se.declaredPublic = st.isPublic;
    se.costUsd = st.costUsd;
    se.isPublic = st.isPublic.value_or(false);
    for (std::size_t k = 0; k < kMethodCount; ++k)
        putInterval(se.methods[k], sp.applies[k], m, v0.method[k], v1.method[k], v2.method[k]);
    se.method = sp.chosen;
    if (sp.chosen) {
        const Interval& chosen = *se.methods[static_cast<std::size_t>(*sp.chosen)];
        detail::assignExact(se.flop.low, chosen.low);
        detail::assignExact(se.flop.central, chosen.central);
        detail::assignExact(se.flop.high, chosen.high);
    } else {
        se.flop = Interval::point(Exact(0));
    }
    if (!st.confidence.empty()) confidenceNote(st, notes);
    se.breakdown.clear();
    if (breakdown && sp.applies[static_cast<std::size_t>(Method::Architecture)]) {
        se.breakdown.reserve(static_cast<std::size_t>(__builtin_popcount(v0.present)));
        for (int c = 0; c < detail::kCompCount; ++c) {
            if (!((v0.present >> c) & 1u)) continue;
            const auto k = static_cast<std::size_t>(c);
            se.breakdown.emplace_back(BuiltBy{[&] {
                return Component{std::string(detail::compName(c)),
                                 MadeInterval{m, v0.comps[k], v1.comps[k], v2.comps[k]}};
            }});
        }
    }
    putInterval(se.recomputeFlop,
                sp.recompute && (sp.applies[static_cast<std::size_t>(Method::Architecture)] ||
                                 sp.applies[static_cast<std::size_t>(Method::SixNd)]),
                m, v0.recompute, v1.recompute, v2.recompute);
    const bool hardwareMethod = sp.applies[static_cast<std::size_t>(Method::Hardware)];
    putInterval(se.hardwareCapacity, hardwareMethod && capacity, m, v0.capacity, v1.capacity,
                v2.capacity);
    bool implied = false;
    if (hardwareMethod && sp.opCount) {
        const auto cap = ordered(m, v0.capacity, v1.capacity, v2.capacity);
        if (LazyRational(0) < *cap[0]) {
            const auto k = static_cast<std::size_t>(*sp.opCount);
            addImpliedUtilization(se, sp, st, m,
                                  ordered(m, v0.method[k], v1.method[k], v2.method[k]), cap, notes);
            implied = true;
        }
    }
    if (!implied) se.impliedUtilization.reset();  // (a reused stage's previous value)
}

}  // namespace

namespace {

/// The storage giveBackEstimate kept for the thread's next estimate.
struct SpareEstimate {
    std::string id, name;
    std::vector<StageEstimate> stages;
    std::vector<Diagnostic> warnings;
};
SpareEstimate& spareEstimate() {
    thread_local SpareEstimate spare;
    return spare;
}

}  // namespace

void detail::giveBackEstimate(ModelEstimate&& estimate) {
    if constexpr (!detail::kFastPaths) return;
    SpareEstimate& s = spareEstimate();
    // Only buffers worth keeping replace the spare's (an estimate with no stages has none).
    if (estimate.stages.capacity() >= s.stages.capacity()) {
        // The stages themselves are kept: the next estimate assigns into them.
        s.stages = std::move(estimate.stages);
    }
    if (estimate.warnings.capacity() >= s.warnings.capacity()) {
        s.warnings = std::move(estimate.warnings);
        s.warnings.clear();
    }
    if (estimate.id.capacity() >= s.id.capacity()) s.id = std::move(estimate.id);
    if (estimate.name.capacity() >= s.name.capacity()) s.name = std::move(estimate.name);
}

ModelEstimate Estimator::estimate(const ModelRecord& record) const {
    return detail::estimateModel(*this, record, {});
}

ModelEstimate detail::estimateModel(const Estimator& estimator, const ModelRecord& record,
                                    EstimateParts parts) {
    using detail::Params;
    using detail::Shape;
    const EstimateOptions& options = estimator.options();
    // Without the fast paths every part is computed (the reference).
    const bool breakdown = parts.breakdown || !detail::kFastPaths;
    const bool capacity = parts.hardwareCapacity || !detail::kFastPaths;
    ModelEstimate e;
    if constexpr (detail::kFastPaths) {
        // The thread's last written estimate's buffers (giveBackEstimate), emptied: the values
        // below are assigned as into a fresh estimate.
        SpareEstimate& spare = spareEstimate();
        e.id.swap(spare.id);
        e.name.swap(spare.name);
        e.stages.swap(spare.stages);
        e.warnings.swap(spare.warnings);
    }
    e.id = record.id;
    e.name = record.name;
    e.convention = options.convention;
    const HardwareCatalog& hardware =
        options.hardware ? *options.hardware : HardwareCatalog::defaults();

    // The thread's note buffer, reused (records have a few notes each: no regrowth per
    // record); fresh per record without the fast paths. Emptied again when moved out below.
    thread_local std::vector<detail::PlanNote> threadNotes;
    std::vector<detail::PlanNote> freshNotes;
    std::vector<detail::PlanNote>& notes = detail::kFastPaths ? threadNotes : freshNotes;
    notes.clear();
    std::optional<detail::ArchPlan> ap;
    std::vector<std::string> archMissing;
    if (record.architecture) {
        ap = detail::planArchitecture(*record.architecture, options,
                                      record.location.pointer + "/architecture", &notes,
                                      &archMissing);
    }
    const int n = anyUncertainIn(record) ? 3 : 1;
    // Evaluations per endpoint only where an input differs between endpoints: a formula over
    // point inputs has the same exact value at all three, so it is evaluated once (at the
    // central values) and its interval is that point.
    const auto endpoint = [](int count, int i) { return LazyGet{count == 1 ? 1 : i}; };
    const bool archVaries =
        n == 3 && record.architecture && architectureVaries(*record.architecture);
    const int ns = archVaries ? 3 : 1;

    // Shape and parameter counts once per record, at each endpoint. Only the endpoints used
    // are constructed (a shape holds some fifty exact values), each in place.
    std::array<detail::Slot<Shape<LazyRational>>, 3> shapes;
    std::array<detail::Slot<Params<LazyRational>>, 3> params;
    const bool shapeOk = ap && ap->shapeValid;
    if (shapeOk) {
        for (int i = 0; i < ns; ++i) {
            const Shape<LazyRational>& shape = shapes[i].emplace(
                BuiltBy{[&] { return detail::resolveShape<LazyRational>(*ap, endpoint(ns, i)); }});
            if (ap->family != Family::Generic)
                params[i].emplace(BuiltBy{[&] { return detail::paramsOf(*ap, shape); }});
        }
        if (ap->family != Family::Generic) {
            const auto pick = [&](std::optional<Interval>& out,
                                  LazyRational Params<LazyRational>::*f) {
                out.emplace(MadeInterval{ns, *params[0].*f, *params[std::min(1, ns - 1)].*f,
                                         *params[std::min(2, ns - 1)].*f});
            };
            pick(e.params.nonEmbedding, &Params<LazyRational>::nonEmbedding);
            if (ap->hasVocab || ap->family == Family::Vit) {
                pick(e.params.total, &Params<LazyRational>::total);
                pick(e.params.active, &Params<LazyRational>::active);
            }
        }
    }

    // Totals accumulate lazily and are converted once (cpp_rational sums reduce every time).
    std::array<LazyRational, 3> total;
    // Per stage kind, only for the kinds present (twelve kinds, usually two or three used).
    std::array<detail::Slot<std::array<LazyRational, 3>>, kStageKindCount> byKind;
    // Stages the thread's previous estimate left (giveBackEstimate) are reused in order.
    if (e.stages.size() > record.stages.size())
        e.stages.erase(e.stages.begin() + static_cast<std::ptrdiff_t>(record.stages.size()),
                       e.stages.end());
    const std::size_t reused = e.stages.size();
    e.stages.reserve(record.stages.size());
    // Reused across stages: every entry a stage's estimate reads is assigned by its evalStage.
    // Constructed on first use (a record of point inputs needs one).
    // The thread's, kept across records with the fast paths (constructing and destroying
    // three of them, 36 values each, was a cost per record).
    thread_local std::array<detail::Slot<detail::StageValues<LazyRational>>, 3> threadVals;
    std::array<detail::Slot<detail::StageValues<LazyRational>>, 3> freshVals;
    auto& vals = detail::kFastPaths ? threadVals : freshVals;
    for (std::size_t si = 0; si < record.stages.size(); ++si) {
        const Stage& st = record.stages[si];
        detail::StagePlan sp = detail::planStage(record, st, ap ? &*ap : nullptr, options, hardware,
                                                 archMissing, &notes);
        sp.components = breakdown;
        // Endpoint evaluations of this stage (shapes are shared when the architecture is fixed).
        const int m = archVaries || (n == 3 && stageVaries(st)) ? 3 : 1;
        // Fast path: the forward FLOP per unit once for the three endpoints when the shape,
        // sequence and target lengths are points (only token, example or hardware inputs vary).
        detail::Slot<detail::Forward<LazyRational>> forward;
        if (detail::kFastPaths && m == 3 && ns == 1 && shapeOk && forwardFixed(sp))
            forward.emplace(BuiltBy{[&] { return stageForward(sp, *ap, *shapes[0]); }});
        for (int i = 0; i < m; ++i) {
            const int sh = ns == 1 ? 0 : i;
            if (!vals[i]) vals[i].emplaceDefault();
            detail::evalStage(sp, ap ? &*ap : nullptr, shapeOk ? &*shapes[sh] : nullptr,
                              shapeOk && params[sh] ? &*params[sh] : nullptr, endpoint(m, i),
                              *vals[i], forward ? &*forward : nullptr);
        }
        const auto& v0 = *vals[0];
        const auto& v1 = *vals[std::min(1, m - 1)];
        const auto& v2 = *vals[std::min(2, m - 1)];

        // The thread's previous estimate's stage when there is one (every field is assigned
        // below: its strings and intervals keep their storage), else a new one.
        StageEstimate& se = si < reused ? e.stages[si] : e.stages.emplace_back();
        writeStage(se, st, sp, m, v0, v1, v2, breakdown, capacity, notes);
        if (sp.chosen) {
            const auto c = static_cast<std::size_t>(*sp.chosen);
            const auto k = static_cast<std::size_t>(st.kind);
            auto& kind = byKind[k] ? *byKind[k] : byKind[k].emplaceDefault();
            for (int i = 0; i < 3; ++i) {
                const LazyRational& v = vals[std::min(i, m - 1)]->method[c];
                total[i] += v;
                kind[static_cast<std::size_t>(i)] += v;
            }
        }
    }
    e.total = makeInterval(n, total[0], total[1], total[2]);
    for (std::size_t k = 0; k < kStageKindCount; ++k) {
        if (byKind[k]) {
            const auto& v = *byKind[k];
            e.byKind[k] = makeInterval(n, v[0], v[1], v[2]);
        }
    }

    if (record.architecture) {
        checkParams(record, record.architecture->params, e.params.total, "params", e.warnings);
        checkParams(record, record.architecture->activeParams, e.params.active, "active_params",
                    e.warnings);
    }
    e.warnings.reserve(e.warnings.size() + notes.size());
    for (auto& note : notes) e.warnings.push_back(locate(record, std::move(note)));
    notes.clear();
    return e;
}

std::vector<Component> Estimator::forwardPerToken(const Architecture& arch, const Exact& seqLen,
                                                  const Exact& targetLen) const {
    std::vector<detail::PlanNote> notes;
    std::vector<std::string> missing;
    detail::ArchPlan ap =
        detail::planArchitecture(arch, options_, "/architecture", &notes, &missing);
    if (!ap.shapeValid) {
        std::string what;
        for (const auto& m : missing) what += (what.empty() ? "" : ", ") + m;
        throw InputError(ErrorCode::ShapeMismatch,
                         "architecture cannot be estimated (missing or invalid: " + what + ")",
                         "/architecture");
    }
    if (ap.needsSeq && (seqLen <= 0 || targetLen < 0)) {
        throw InputError(ErrorCode::NumberZero, "seq_len must be positive");
    }
    std::array<detail::Forward<Exact>, 3> f;
    for (int i = 0; i < 3; ++i) {
        detail::Shape<Exact> s = detail::resolveShape<Exact>(ap, EndpointGet{i});
        f[i] = detail::forwardPerUnit(ap, s, seqLen, targetLen);
    }
    std::vector<Component> out;
    for (int c = 0; c < detail::kCompCount; ++c) {
        if (!f[0].has(c)) continue;
        const auto k = static_cast<std::size_t>(c);
        out.push_back(
            {std::string(detail::compName(c)), makeInterval(3, f[0].v[k], f[1].v[k], f[2].v[k])});
    }
    return out;
}

ParamCounts Estimator::deriveParams(const Architecture& arch) const {
    ParamCounts out;
    detail::ArchPlan ap =
        detail::planArchitecture(arch, options_, "/architecture", nullptr, nullptr);
    if (!ap.shapeValid || ap.family == Family::Generic) return out;
    std::array<detail::Params<Exact>, 3> p;
    for (int i = 0; i < 3; ++i) {
        p[i] = detail::paramsOf(ap, detail::resolveShape<Exact>(ap, EndpointGet{i}));
    }
    out.nonEmbedding = makeInterval(3, p[0].nonEmbedding, p[1].nonEmbedding, p[2].nonEmbedding);
    if (ap.hasVocab || ap.family == Family::Vit) {
        out.total = makeInterval(3, p[0].total, p[1].total, p[2].total);
        out.active = makeInterval(3, p[0].active, p[1].active, p[2].active);
    }
    return out;
}

}  // namespace flopledger::inline v1
