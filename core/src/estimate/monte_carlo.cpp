// Seeded Monte Carlo over a record's uncertain inputs, with the generator of estimate/sampling.hpp
// (xoshiro256**, portable: the same seed gives the same probabilities on every platform).
#include <flopledger/monte_carlo.hpp>

#include "estimate/sampling.hpp"

#include "base/exact_fast.hpp"
#include "estimate/architecture_stage.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>

namespace flopledger::inline v1 {

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

detail::QuantitySampler::QuantitySampler(const Quantity& q) {
    if (!q.uncertain()) {
        point_ = toDouble(q.central());
        return;
    }
    drawn_ = true;
    low_ = toDouble(q.value.low);
    central_ = toDouble(q.value.central);
    high_ = toDouble(q.value.high);
    dist_ = q.distribution;
    if (dist_ == Distribution::LogUniform && low_ > 0) {
        logLow_ = std::log(low_);
        logHigh_ = std::log(high_);
    }
}

double detail::QuantitySampler::next(Xoshiro256& rng) const {
    if (!drawn_) return point_;
    const Slot s{nullptr, low_, central_, high_, dist_, 0, logLow_, logHigh_};
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

// What forEachSampleOf used to set up per record, kept for any number of evaluations: the slots,
// the pointer table, the plans, which stages vary (and on which slots), the fixed forwards.
struct detail::SampleEngine::State {
    const ModelRecord& record;
    std::vector<Slot> slots;
    std::vector<std::pair<const Quantity*, double>> points;
    Sample sample;
    PointerTable table{0};
    std::vector<int> slotAt;  // per Sample::quantities index: its slot, or -1
    std::optional<detail::ArchPlan> ap;
    std::vector<std::string> archMissing;
    std::vector<detail::StagePlan> plans;
    bool shapeOk = false;
    const detail::ArchPlan* app = nullptr;
    detail::Shape<double> shape{};
    detail::Params<double> params{};
    bool shapeVaries = false;
    std::uint64_t shapeSlots = 0;  // the inputs the shape reads
    std::vector<std::size_t> varying;
    std::vector<std::uint64_t> stageSlots;  // per stage: the slots its value reads (bit mask)
    std::vector<detail::StageValues<double>> values;
    std::vector<detail::Forward<double>> forwards;
    std::vector<const detail::Forward<double>*> fixedForward;
    // The inputs set to another value since the last evaluation (bit k: input k; every bit for
    // input 64 or later): a stage none of whose inputs changed keeps its value, which is the
    // same double as recomputing it. Every stage is computed at the first evaluation.
    std::uint64_t dirty = ~std::uint64_t{0};
    // Per varying stage that reads one input: its values with that input at its low and at its
    // high end (the deterministic method evaluates every point's inner input at both ends).
    struct EndMemo {
        int slot = -1;
        bool valid[2] = {false, false};
        double flop[2] = {0, 0}, recompute[2] = {0, 0};
    };
    std::vector<EndMemo> ends;

    explicit State(const ModelRecord& r) : record(r) {}

    double get(const Quantity& q) const {
        if (const double* v = table.find(&q)) return *v;
        return detail::sameAsToDouble(q.central());
    }
    void resolve() {
        if (!shapeOk) return;
        shape = detail::resolveShape<double>(*ap, [this](const Quantity& q) { return get(q); });
        if (ap->family != Family::Generic) params = detail::paramsOf(*ap, shape);
    }
};

detail::SampleEngine::SampleEngine(const Estimator& estimator, const ModelRecord& record,
                                   const std::vector<char>& needed)
    : s_(std::make_unique<State>(record)) {
    State& st = *s_;
    const EstimateOptions& eo = estimator.options();
    const HardwareCatalog& hardware = eo.hardware ? *eo.hardware : HardwareCatalog::defaults();

    // Every quantity gets a double: uncertain ones a slot redrawn per sample, points their
    // central value, found through a small pointer-keyed table (a lookup per input per sample).
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
            st.slots.push_back(s);
        } else {
            st.points.emplace_back(&q, detail::sameAsToDouble(q.central()));
        }
    });
    std::size_t width = nextIndex;
    for (const Slot& s : st.slots) width = std::max(width, s.index + 1);

    Sample& sample = st.sample;
    sample.quantities.assign(width, 0.0);
    sample.stageFlop.assign(record.stages.size(), 0.0);
    sample.stageRecompute.assign(record.stages.size(), 0.0);
    st.slotAt.assign(width, -1);
    for (std::size_t k = 0; k < st.slots.size(); ++k)
        st.slotAt[st.slots[k].index] = static_cast<int>(k);

    st.table = PointerTable(st.slots.size() + st.points.size());
    for (const Slot& s : st.slots) st.table.insert(s.q, &sample.quantities[s.index]);
    for (auto& p : st.points) st.table.insert(p.first, &p.second);
    // While classifying: which slots a computation reads (bit k: slot k; all bits past 64).
    std::uint64_t touched = 0;
    const auto track = [&](const Quantity& q) -> double {
        if (drawnInput(q)) {
            const double* v = st.table.find(&q);
            const auto at = v ? static_cast<std::size_t>(v - sample.quantities.data()) : width;
            const int k = at < width ? st.slotAt[at] : -1;
            touched |= k >= 0 && k < 64 ? std::uint64_t{1} << k : ~std::uint64_t{0};
        }
        return st.get(q);
    };

    // Plans are made once; the diagnostics were already reported by the estimate.
    if (record.architecture) {
        st.ap = detail::planArchitecture(*record.architecture, eo, "", nullptr, &st.archMissing);
    }
    st.plans.reserve(record.stages.size());
    for (const Stage& stage : record.stages) {
        st.plans.push_back(detail::planStage(record, stage, st.ap ? &*st.ap : nullptr, eo, hardware,
                                             st.archMissing, nullptr));
        detail::prepareDoubles(st.plans.back());
        onlyWhatIsRead(st.plans.back());
    }
    st.shapeOk = st.ap && st.ap->shapeValid;
    st.app = st.ap ? &*st.ap : nullptr;

    // What does not depend on any draw is computed once, with the same double arithmetic as a
    // sample would use, so the results are bit for bit those of recomputing it every time.
    touched = 0;
    if (st.shapeOk) {
        st.shape = detail::resolveShape<double>(*st.ap, track);
        if (st.ap->family != Family::Generic) st.params = detail::paramsOf(*st.ap, st.shape);
    }
    const std::uint64_t shapeSlots = touched;
    st.shapeVaries = shapeSlots != 0;
    st.shapeSlots = shapeSlots;
    st.stageSlots.assign(st.plans.size(), 0);
    for (std::size_t i = 0; i < st.plans.size(); ++i) {
        const detail::StagePlan& sp = st.plans[i];
        touched = 0;
        detail::StageValues<double> v{};
        detail::evalStage(sp, st.app, st.shapeOk ? &st.shape : nullptr,
                          st.shapeOk ? &st.params : nullptr, track, v);
        const bool usesShape = sp.applies[static_cast<std::size_t>(Method::Architecture)] ||
                               sp.params == detail::ParamsFrom::DerivedActive ||
                               sp.params == detail::ParamsFrom::DerivedTotal ||
                               sp.tokens == detail::TokensFrom::ExamplesTimesImage ||
                               sp.units == detail::UnitsFrom::TokensOverImage;
        st.stageSlots[i] = touched | (usesShape ? shapeSlots : 0);
        if (touched != 0 || (st.shapeVaries && usesShape)) {
            // A stage nobody reads is not recomputed per draw (it draws no random numbers).
            if (i < needed.size() && needed[i]) st.varying.push_back(i);
        } else {
            sample.stageFlop[i] = sp.chosen ? v.method[static_cast<std::size_t>(*sp.chosen)] : 0.0;
            sample.stageRecompute[i] = v.recompute;
        }
    }

    st.ends.resize(st.varying.size());
    for (std::size_t j = 0; j < st.varying.size(); ++j) {
        const std::uint64_t m = st.stageSlots[st.varying[j]];
        if (m != 0 && m != ~std::uint64_t{0} && std::has_single_bit(m))
            st.ends[j].slot = std::countr_zero(m);
    }

    // One result slot per varying stage, zeroed once: a stage's plan fixes which fields
    // evalStage writes, so every draw overwrites the same ones (method[chosen], recompute) and
    // the rest stay 0, as with a fresh zeroed StageValues per draw (without a 200-byte fill).
    st.values.resize(st.varying.size());

    // A varying stage whose shape, sequence and target lengths are not drawn (the draws reach
    // only its token or example counts, say) has the same forward FLOP per unit in every draw:
    // computed once here from the same doubles, it is bit for bit what each draw would compute.
    st.forwards.resize(st.varying.size());
    st.fixedForward.assign(st.varying.size(), nullptr);
    if (st.shapeOk && !st.shapeVaries) {
        for (std::size_t j = 0; j < st.varying.size(); ++j) {
            const detail::StagePlan& sp = st.plans[st.varying[j]];
            if (!sp.applies[static_cast<std::size_t>(Method::Architecture)]) continue;
            const Stage& stage = *sp.stage;
            bool drawn = stage.targetLen && drawnInput(*stage.targetLen);
            if (sp.seq == detail::SeqFrom::Given)
                drawn = drawn || drawnInput(*stage.seqLen);
            else if (sp.seq == detail::SeqFrom::TokensOverExamples)
                drawn = drawn || drawnInput(*stage.tokens) || drawnInput(*stage.examples);
            if (drawn) continue;
            double seq = 0, target = 0;
            detail::stageSeqTarget(
                sp, [&st](const Quantity& q) { return st.get(q); }, seq, target);
            st.forwards[j] = detail::forwardPerUnit(*st.ap, st.shape, seq, target);
            st.fixedForward[j] = &st.forwards[j];
        }
    }
}

detail::SampleEngine::~SampleEngine() = default;

std::size_t detail::SampleEngine::inputCount() const {
    return s_->slots.size();
}

std::size_t detail::SampleEngine::inputIndex(std::size_t k) const {
    return s_->slots[k].index;
}

int detail::SampleEngine::inputOf(const Quantity& q) const {
    const State& st = *s_;
    if (q.sampleIndex < 0 || static_cast<std::size_t>(q.sampleIndex) >= st.slotAt.size()) return -1;
    return st.slotAt[static_cast<std::size_t>(q.sampleIndex)];
}

std::uint64_t detail::SampleEngine::stageInputs(std::size_t stage) const {
    return stage < s_->stageSlots.size() ? s_->stageSlots[stage] : 0;
}

double detail::SampleEngine::quantile(std::size_t k, double u) const {
    return draw(s_->slots[k], u);
}

double detail::SampleEngine::low(std::size_t k) const {
    return s_->slots[k].low;
}

double detail::SampleEngine::high(std::size_t k) const {
    return s_->slots[k].high;
}

double detail::SampleEngine::cdf(std::size_t k, double q) const {
    const Slot& s = s_->slots[k];
    const double a = s.low, b = s.high;
    if (!(q > a)) return 0;
    if (!(q < b)) return 1;
    switch (s.dist) {
        case Distribution::LogUniform:
            if (a > 0) return (std::log(q) - s.logLow) / (s.logHigh - s.logLow);
            break;  // drawn uniform (see draw)
        case Distribution::Triangular: {
            const double c = s.central;
            if (q <= c) return c > a ? (q - a) * (q - a) / ((b - a) * (c - a)) : 0;
            return b > c ? 1 - (b - q) * (b - q) / ((b - a) * (b - c)) : 1;
        }
        case Distribution::Uniform:
            break;
    }
    return (q - a) / (b - a);
}

Sample& detail::SampleEngine::sample() {
    return s_->sample;
}

void detail::SampleEngine::set(std::size_t k, double value) {
    double& slot = s_->sample.quantities[s_->slots[k].index];
    if constexpr (kFastPaths)
        if (std::bit_cast<std::uint64_t>(slot) == std::bit_cast<std::uint64_t>(value)) return;
    slot = value;
    s_->dirty |= k < 64 ? std::uint64_t{1} << k : ~std::uint64_t{0};
}

void detail::SampleEngine::evaluate() {
    State& st = *s_;
    // OFF: every varying stage is recomputed at every evaluation (the reference).
    const std::uint64_t dirty = kFastPaths ? st.dirty : ~std::uint64_t{0};
    st.dirty = 0;
    if (dirty == 0) return;
    // Only the stages read the shape.
    if (st.shapeVaries && !st.varying.empty() && (st.shapeSlots & dirty) != 0) st.resolve();
    const auto get = [&st](const Quantity& q) { return st.get(q); };
    for (std::size_t j = 0; j < st.varying.size(); ++j) {
        const std::size_t i = st.varying[j];
        if ((st.stageSlots[i] & dirty) == 0) continue;  // none of its inputs changed
        // A stage of one input at that input's low or high end: its memo once computed.
        State::EndMemo* memo = nullptr;
        int end = 0;
        if (kFastPaths && st.ends[j].slot >= 0) {
            const Slot& s = st.slots[static_cast<std::size_t>(st.ends[j].slot)];
            const auto bits = std::bit_cast<std::uint64_t>(st.sample.quantities[s.index]);
            end = bits == std::bit_cast<std::uint64_t>(s.low) ? 0 : 1;
            if (end == 0 || bits == std::bit_cast<std::uint64_t>(s.high)) memo = &st.ends[j];
            if (memo && memo->valid[end]) {
                st.sample.stageFlop[i] = memo->flop[end];
                st.sample.stageRecompute[i] = memo->recompute[end];
                continue;
            }
        }
        detail::StageValues<double>& v = st.values[j];
        detail::evalStage(st.plans[i], st.app, st.shapeOk ? &st.shape : nullptr,
                          st.shapeOk ? &st.params : nullptr, get, v, st.fixedForward[j]);
        st.sample.stageFlop[i] =
            st.plans[i].chosen ? v.method[static_cast<std::size_t>(*st.plans[i].chosen)] : 0.0;
        st.sample.stageRecompute[i] = v.recompute;
        if (memo) {
            memo->valid[end] = true;
            memo->flop[end] = st.sample.stageFlop[i];
            memo->recompute[end] = st.sample.stageRecompute[i];
        }
    }
}

void detail::forEachSampleOf(const Estimator& estimator, const ModelRecord& record,
                             const ModelEstimate& estimate, const MonteCarloOptions& options,
                             const std::vector<char>& needed,
                             const std::function<void(const Sample&)>& fn) {
    (void)estimate;  // the stage order is the record's, as in the estimate
    SampleEngine engine(estimator, record, needed);
    SampleEngine::State& st = *engine.s_;
    detail::Xoshiro256 rng(options.seed ^ detail::fnv1a(record.id));
    for (int n = 0; n < options.samples; ++n) {
        for (const Slot& s : st.slots) st.sample.quantities[s.index] = draw(s, rng.uniform());
        st.dirty = ~std::uint64_t{0};  // every input was drawn anew
        engine.evaluate();
        fn(st.sample);
    }
}

}  // namespace flopledger::inline v1
