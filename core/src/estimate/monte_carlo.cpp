// Seeded Monte Carlo over a record's uncertain inputs, with the generator of estimate/sampling.hpp
// (xoshiro256**, portable: the same seed gives the same probabilities on every platform).
#include <flopledger/monte_carlo.hpp>

#include "estimate/sampling.hpp"

#include "base/exact_fast.hpp"
#include "estimate/architecture_stage.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace flopledger {

namespace {

struct Slot {
    const Quantity* q;
    double low, central, high;
    Distribution dist;
    std::size_t index;       ///< position in Sample::quantities
    double logLow, logHigh;  ///< log-uniform: computed once, the same values as per draw
};

// Open-addressing map from a Quantity's address to its current double.
class PointerTable {
public:
    explicit PointerTable(std::size_t n) {
        std::size_t size = 8;
        while (size < 2 * n) size *= 2;
        keys_.assign(size, nullptr);
        values_.assign(size, nullptr);
        mask_ = size - 1;
    }
    void insert(const Quantity* key, const double* value) {
        std::size_t i = hash(key);
        while (keys_[i] != nullptr && keys_[i] != key) i = (i + 1) & mask_;
        keys_[i] = key;
        values_[i] = value;
    }
    const double* find(const Quantity* key) const {
        for (std::size_t i = hash(key);; i = (i + 1) & mask_) {
            if (keys_[i] == key) return values_[i];
            if (keys_[i] == nullptr) return nullptr;
        }
    }

private:
    std::size_t hash(const Quantity* key) const {
        const auto x = reinterpret_cast<std::uintptr_t>(key);
        return static_cast<std::size_t>((x >> 3) * 0x9E3779B97F4A7C15ULL >> 20) & mask_;
    }
    std::vector<const Quantity*> keys_;
    std::vector<const double*> values_;
    std::size_t mask_ = 0;
};

double draw(const Slot& s, double u) {
    const double a = s.low, b = s.high;
    switch (s.dist) {
        case Distribution::LogUniform:
            if (a > 0) return std::exp(s.logLow + u * (s.logHigh - s.logLow));
            return a + u * (b - a);  // log-uniform needs low > 0: fall back to uniform
        case Distribution::Triangular: {
            const double c = s.central;
            const double fc = (c - a) / (b - a);
            if (u < fc) return a + std::sqrt(u * (b - a) * (c - a));
            return b - std::sqrt((1 - u) * (b - a) * (b - c));
        }
        case Distribution::Uniform:
            break;
    }
    return a + u * (b - a);
}

// A draw reads only the chosen method's value and the recompute FLOP. evalStage computes each
// method from its own inputs, so the methods nobody reads can be switched off without changing
// the others' doubles. Recompute comes from the architecture count when that applies, else
// from 6ND (which tests whether the architecture applies: it is kept whenever it applied).
void onlyWhatIsRead(detail::StagePlan& sp) {
    constexpr auto idx = [](Method m) { return static_cast<std::size_t>(m); };
    std::array<bool, kMethodCount> keep{};
    if (sp.chosen) keep[idx(*sp.chosen)] = true;
    if (sp.recompute)
        keep[idx(sp.applies[idx(Method::Architecture)] ? Method::Architecture : Method::SixNd)] =
            true;
    for (std::size_t m = 0; m < keep.size(); ++m) sp.applies[m] = sp.applies[m] && keep[m];
}

// q.uncertain() (low != high) by comparing the normalised fractions' parts: Boost 1.74's
// cpp_rational equality goes through its ordering (a continued-fraction walk).
bool drawnInput(const Quantity& q) {
    return !detail::sameExact(q.value.low, q.value.high);
}

}  // namespace

double detail::sampleQuantity(const Quantity& q, Xoshiro256& rng) {
    if (!q.uncertain()) return toDouble(q.central());
    Slot s{&q,
           toDouble(q.value.low),
           toDouble(q.value.central),
           toDouble(q.value.high),
           q.distribution,
           0,
           0,
           0};
    if (s.dist == Distribution::LogUniform && s.low > 0) {
        s.logLow = std::log(s.low);
        s.logHigh = std::log(s.high);
    }
    return draw(s, rng.uniform());
}

double Sample::value(const Quantity& q) const {
    if (q.sampleIndex >= 0 && static_cast<std::size_t>(q.sampleIndex) < quantities.size()) {
        return quantities[static_cast<std::size_t>(q.sampleIndex)];
    }
    return detail::sameAsToDouble(q.central());
}

void forEachSample(const Estimator& estimator, const ModelRecord& record,
                   const ModelEstimate& estimate, const MonteCarloOptions& options,
                   const std::function<void(const Sample&)>& fn) {
    detail::forEachSampleOf(estimator, record, estimate, options,
                            std::vector<char>(record.stages.size(), 1), fn);
}

void detail::forEachSampleOf(const Estimator& estimator, const ModelRecord& record,
                             const ModelEstimate& estimate, const MonteCarloOptions& options,
                             const std::vector<char>& needed,
                             const std::function<void(const Sample&)>& fn) {
    (void)estimate;  // the stage order is the record's, as in the estimate
    const EstimateOptions& eo = estimator.options();
    const HardwareCatalog& hardware = eo.hardware ? *eo.hardware : HardwareCatalog::defaults();

    // Every quantity gets a double: uncertain ones a slot redrawn per sample, points their
    // central value, found through a small pointer-keyed table (a lookup per input per sample).
    std::vector<Slot> slots;
    std::vector<std::pair<const Quantity*, double>> points;
    std::size_t nextIndex = static_cast<std::size_t>(std::max(record.uncertainCount, 0));
    detail::forEachQuantity(record, [&](const Quantity& q) {
        if (drawnInput(q)) {
            std::size_t idx =
                q.sampleIndex >= 0 ? static_cast<std::size_t>(q.sampleIndex) : nextIndex++;
            Slot s{&q,
                   detail::sameAsToDouble(q.value.low),
                   detail::sameAsToDouble(q.value.central),
                   detail::sameAsToDouble(q.value.high),
                   q.distribution,
                   idx,
                   0,
                   0};
            if (s.dist == Distribution::LogUniform && s.low > 0) {
                s.logLow = std::log(s.low);
                s.logHigh = std::log(s.high);
            }
            slots.push_back(s);
        } else {
            points.emplace_back(&q, detail::sameAsToDouble(q.central()));
        }
    });
    std::size_t width = nextIndex;
    for (const Slot& s : slots) width = std::max(width, s.index + 1);

    Sample sample;
    sample.quantities.assign(width, 0.0);
    sample.stageFlop.assign(record.stages.size(), 0.0);
    sample.stageRecompute.assign(record.stages.size(), 0.0);

    PointerTable table(slots.size() + points.size());
    for (const Slot& s : slots) table.insert(s.q, &sample.quantities[s.index]);
    for (auto& p : points) table.insert(p.first, &p.second);
    bool touchedUncertain = false;  // set by `track` while classifying what depends on draws
    const auto get = [&](const Quantity& q) -> double {
        if (const double* v = table.find(&q)) return *v;
        return detail::sameAsToDouble(q.central());
    };
    const auto track = [&](const Quantity& q) -> double {
        touchedUncertain = touchedUncertain || drawnInput(q);
        return get(q);
    };

    // Plans are made once; the diagnostics were already reported by the estimate.
    std::optional<detail::ArchPlan> ap;
    std::vector<std::string> archMissing;
    if (record.architecture) {
        ap = detail::planArchitecture(*record.architecture, eo, "", nullptr, &archMissing);
    }
    std::vector<detail::StagePlan> plans;
    plans.reserve(record.stages.size());
    for (const Stage& st : record.stages) {
        plans.push_back(
            detail::planStage(record, st, ap ? &*ap : nullptr, eo, hardware, archMissing, nullptr));
        detail::prepareDoubles(plans.back());
        onlyWhatIsRead(plans.back());
    }
    const bool shapeOk = ap && ap->shapeValid;
    const detail::ArchPlan* app = ap ? &*ap : nullptr;

    // What does not depend on any draw is computed once, with the same double arithmetic as a
    // sample would use, so the results are bit for bit those of recomputing it every time.
    detail::Shape<double> shape{};
    detail::Params<double> params{};
    bool shapeVaries = false;
    auto resolve = [&](const auto& getter) {
        if (!shapeOk) return;
        shape = detail::resolveShape<double>(*ap, getter);
        if (ap->family != Family::Generic) params = detail::paramsOf(*ap, shape);
    };
    touchedUncertain = false;
    resolve(track);
    shapeVaries = touchedUncertain;
    std::vector<std::size_t> varying;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const detail::StagePlan& sp = plans[i];
        touchedUncertain = false;
        detail::StageValues<double> v{};
        detail::evalStage(sp, app, shapeOk ? &shape : nullptr, shapeOk ? &params : nullptr, track,
                          v);
        const bool usesShape = sp.applies[static_cast<std::size_t>(Method::Architecture)] ||
                               sp.params == detail::ParamsFrom::DerivedActive ||
                               sp.params == detail::ParamsFrom::DerivedTotal ||
                               sp.tokens == detail::TokensFrom::ExamplesTimesImage ||
                               sp.units == detail::UnitsFrom::TokensOverImage;
        if (touchedUncertain || (shapeVaries && usesShape)) {
            // A stage nobody reads is not recomputed per draw (it draws no random numbers).
            if (i < needed.size() && needed[i]) varying.push_back(i);
        } else {
            sample.stageFlop[i] = sp.chosen ? v.method[static_cast<std::size_t>(*sp.chosen)] : 0.0;
            sample.stageRecompute[i] = v.recompute;
        }
    }

    // One result slot per varying stage, zeroed once: a stage's plan fixes which fields
    // evalStage writes, so every draw overwrites the same ones (method[chosen], recompute) and
    // the rest stay 0, as with a fresh zeroed StageValues per draw (without a 200-byte fill).
    std::vector<detail::StageValues<double>> values(varying.size());

    // A varying stage whose shape, sequence and target lengths are not drawn (the draws reach
    // only its token or example counts, say) has the same forward FLOP per unit in every draw:
    // computed once here from the same doubles, it is bit for bit what each draw would compute.
    std::vector<detail::Forward<double>> forwards(varying.size());
    std::vector<const detail::Forward<double>*> fixedForward(varying.size(), nullptr);
    if (shapeOk && !shapeVaries) {
        for (std::size_t j = 0; j < varying.size(); ++j) {
            const detail::StagePlan& sp = plans[varying[j]];
            if (!sp.applies[static_cast<std::size_t>(Method::Architecture)]) continue;
            const Stage& st = *sp.stage;
            bool drawn = st.targetLen && drawnInput(*st.targetLen);
            if (sp.seq == detail::SeqFrom::Given)
                drawn = drawn || drawnInput(*st.seqLen);
            else if (sp.seq == detail::SeqFrom::TokensOverExamples)
                drawn = drawn || drawnInput(*st.tokens) || drawnInput(*st.examples);
            if (drawn) continue;
            double seq = 0, target = 0;
            detail::stageSeqTarget(sp, get, seq, target);
            forwards[j] = detail::forwardPerUnit(*ap, shape, seq, target);
            fixedForward[j] = &forwards[j];
        }
    }

    detail::Xoshiro256 rng(options.seed ^ detail::fnv1a(record.id));
    for (int n = 0; n < options.samples; ++n) {
        for (const Slot& s : slots) sample.quantities[s.index] = draw(s, rng.uniform());
        if (shapeVaries && !varying.empty()) resolve(get);  // only the stages read the shape
        for (std::size_t j = 0; j < varying.size(); ++j) {
            const std::size_t i = varying[j];
            detail::StageValues<double>& v = values[j];
            detail::evalStage(plans[i], app, shapeOk ? &shape : nullptr,
                              shapeOk ? &params : nullptr, get, v, fixedForward[j]);
            sample.stageFlop[i] =
                plans[i].chosen ? v.method[static_cast<std::size_t>(*plans[i].chosen)] : 0.0;
            sample.stageRecompute[i] = v.recompute;
        }
        fn(sample);
    }
}

}  // namespace flopledger
