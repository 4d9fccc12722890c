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

// useProducts(): the exponent of an input in a stage's value c (at the medians) from its values
// at the input's low and high ends, when it is a small whole power (else -1).
int productExponent(double c, double atLow, double atHigh, const Slot& s) {
    if (c == 0) return atLow == 0 && atHigh == 0 ? 0 : -1;
    if (!(c > 0 && atLow > 0 && atHigh > 0) || !std::isfinite(c)) return -1;
    const double e = std::log(atHigh / atLow) / std::log(s.high / s.low);
    const double r = std::round(e);
    if (!(std::abs(e - r) <= 1e-6) || r < 0 || r > 3) return -1;
    return static_cast<int>(r);
}

bool closeTo(double model, double value) {
    return std::abs(model - value) <= 1e-12 * std::abs(value);
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
    const ModelRecord* record;
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
    // useProducts(): per varying stage, its FLOP and recompute FLOP as the value at the medians
    // times prod over inputs k of (v_k / m_k)^e_k (bit-packed exponents, 2 bits per input).
    static constexpr std::size_t kProductInputs = 8;
    struct Product {
        double flop = 0, recompute = 0;
        std::uint32_t flopExp = 0, recomputeExp = 0;
    };
    bool products = false;               // evaluate() from the products
    bool fitted = false, fitOk = false;  // fitProducts() ran, and held
    std::vector<Product> product;        // per varying stage
    std::vector<int> productAt;          // per stage: its varying index, or -1
    std::array<double, kProductInputs> median{}, ratio{};

    explicit State(const ModelRecord& r) : record(&r) {}

    // Back to a State freshly built for r, keeping the vectors' capacity (a reused State, see
    // takeState). The constructor of SampleEngine assigns or fills every vector it reads; those it
    // only resizes are emptied here. A new member must be reset here too.
    void reuse(const ModelRecord& r) {
        record = &r;
        slots.clear();
        points.clear();
        ap.reset();
        archMissing.clear();
        plans.clear();
        shapeOk = false;
        app = nullptr;
        shape = detail::Shape<double>{};
        params = detail::Params<double>{};
        shapeVaries = false;
        shapeSlots = 0;
        varying.clear();
        stageSlots.clear();
        values.clear();
        forwards.clear();
        fixedForward.clear();
        dirty = ~std::uint64_t{0};
        ends.clear();
        products = false;
        fitted = false;
        fitOk = false;
        product.clear();
        productAt.clear();
        median = {};
        ratio = {};
    }

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

namespace {

using State = detail::SampleEngine::State;

double productValue(const State& st, double c, std::uint32_t exps) {
    return detail::productOfRatios(st.ratio.data(), c, exps);
}

// evaluate() once useProducts() holds: the stages from the inputs' ratios to their medians.
void evaluateProducts(State& st, std::uint64_t dirty) {
    for (std::size_t k = 0; k < st.slots.size(); ++k)
        if ((dirty >> k) & 1U) st.ratio[k] = st.sample.quantities[st.slots[k].index] / st.median[k];
    for (std::size_t j = 0; j < st.varying.size(); ++j) {
        const std::size_t i = st.varying[j];
        if ((st.stageSlots[i] & dirty) == 0) continue;
        const State::Product& p = st.product[j];
        st.sample.stageFlop[i] = productValue(st, p.flop, p.flopExp);
        st.sample.stageRecompute[i] = productValue(st, p.recompute, p.recomputeExp);
    }
}

}  // namespace

namespace {

// The thread's States of destroyed engines (fast path): one engine is built per record with
// indeterminate verdicts, and reusing a State saves allocating and freeing its block (several
// kilobytes) and its vectors each time. OFF: every engine builds its own.
constexpr std::size_t kPooledStates = 2;

std::vector<std::unique_ptr<State>>& statePool() {
    thread_local std::vector<std::unique_ptr<State>> pool;
    return pool;
}

std::unique_ptr<State> takeState(const ModelRecord& record) {
    if constexpr (detail::kFastPaths) {
        auto& pool = statePool();
        if (!pool.empty()) {
            std::unique_ptr<State> s = std::move(pool.back());
            pool.pop_back();
            s->reuse(record);
            return s;
        }
    }
    return std::make_unique<State>(record);
}

}  // namespace

detail::SampleEngine::SampleEngine(const Estimator& estimator, const ModelRecord& record,
                                   const std::vector<char>& needed)
    : s_(takeState(record)) {
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

detail::SampleEngine::~SampleEngine() {
    if constexpr (kFastPaths) {
        auto& pool = statePool();
        if (s_ && pool.size() < kPooledStates) pool.push_back(std::move(s_));
    }
}

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
    return cdfOf(law(k), q);
}

detail::InputLaw detail::SampleEngine::law(std::size_t k) const {
    const Slot& s = s_->slots[k];
    return InputLaw{s.dist, s.low, s.central, s.high, s.logLow, s.logHigh};
}

Sample& detail::SampleEngine::sample() {
    return s_->sample;
}

const Sample& detail::SampleEngine::sample() const {
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
    if (st.products) {
        evaluateProducts(st, dirty);
        return;
    }
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

bool detail::SampleEngine::useProducts(bool on) {
    State& st = *s_;
    if (on && !st.fitted) {
        st.fitted = true;
        st.fitOk = fitProducts();
    }
    const bool use = on && st.fitOk;
    if (use != st.products) {
        st.products = use;
        st.dirty = ~std::uint64_t{0};  // every stage recomputed the new way
    }
    return use;
}

bool detail::SampleEngine::fitProducts() {
    State& st = *s_;
    const std::size_t n = st.slots.size();
    const std::size_t stages = st.varying.size();
    if (n == 0 || n > State::kProductInputs || stages == 0) return false;
    for (std::size_t k = 0; k < n; ++k) {
        const Slot& s = st.slots[k];
        st.median[k] = draw(s, 0.5);
        if (!(s.low > 0) || !(st.median[k] > 0) || !std::isfinite(s.high)) return false;
    }
    const auto atMedians = [&] {
        for (std::size_t k = 0; k < n; ++k) set(k, st.median[k]);
    };
    std::vector<State::Product>& prod = st.product;
    prod.assign(stages, State::Product{});
    atMedians();
    evaluate();
    const Sample& sample = st.sample;
    for (std::size_t j = 0; j < stages; ++j) {
        const std::size_t i = st.varying[j];
        if ((st.stageSlots[i] >> n) != 0) return false;  // (an input past 64: every bit)
        prod[j].flop = sample.stageFlop[i];
        prod[j].recompute = sample.stageRecompute[i];
    }
    // Each input's exponent from the stage at its low and high ends (the others at medians).
    std::vector<double> low(2 * stages);
    bool ok = true;
    for (std::size_t k = 0; k < n && ok; ++k) {
        const Slot& s = st.slots[k];
        set(k, s.low);
        evaluate();
        for (std::size_t j = 0; j < stages; ++j) {
            low[2 * j] = sample.stageFlop[st.varying[j]];
            low[2 * j + 1] = sample.stageRecompute[st.varying[j]];
        }
        set(k, s.high);
        evaluate();
        set(k, st.median[k]);
        for (std::size_t j = 0; j < stages && ok; ++j) {
            const std::size_t i = st.varying[j];
            if (((st.stageSlots[i] >> k) & 1U) == 0) continue;
            const int ef = productExponent(prod[j].flop, low[2 * j], sample.stageFlop[i], s);
            const int er =
                productExponent(prod[j].recompute, low[2 * j + 1], sample.stageRecompute[i], s);
            ok = ef >= 0 && er >= 0;
            prod[j].flopExp |= static_cast<std::uint32_t>(ef) << (2 * k);
            prod[j].recomputeExp |= static_cast<std::uint32_t>(er) << (2 * k);
        }
    }
    // Checked at points away from those it was fitted on: each input alone at two quantiles,
    // and a few points moving all of them.
    const auto matches = [&] {
        evaluate();
        for (std::size_t k = 0; k < n; ++k)
            st.ratio[k] = sample.quantities[st.slots[k].index] / st.median[k];
        for (std::size_t j = 0; j < stages; ++j) {
            const std::size_t i = st.varying[j];
            if (!closeTo(productValue(st, prod[j].flop, prod[j].flopExp), sample.stageFlop[i]) ||
                !closeTo(productValue(st, prod[j].recompute, prod[j].recomputeExp),
                         sample.stageRecompute[i]))
                return false;
        }
        return true;
    };
    for (std::size_t k = 0; k < n && ok; ++k) {
        for (double u : {0.23, 0.81}) {
            atMedians();
            set(k, draw(st.slots[k], u));
            ok = ok && matches();
        }
    }
    constexpr double kMixed[][4] = {
        {0.02, 0.97, 0.35, 0.66}, {0.91, 0.07, 0.58, 0.13}, {0.44, 0.29, 0.95, 0.03}};
    for (const auto& q : kMixed) {
        for (std::size_t k = 0; k < n; ++k) set(k, draw(st.slots[k], q[(k + 1) % 4]));
        ok = ok && matches();
    }
    atMedians();
    evaluate();
    st.productAt.assign(st.sample.stageFlop.size(), -1);
    for (std::size_t j = 0; j < stages; ++j) st.productAt[st.varying[j]] = static_cast<int>(j);
    return ok;
}

void detail::SampleEngine::productsAlong(std::size_t k, std::vector<double>& flop,
                                         std::vector<double>& recompute, bool varyingOnly) const {
    const State& st = *s_;
    const std::size_t stages = st.sample.stageFlop.size();
    if (!varyingOnly) {
        flop.assign(4 * stages, 0.0);
        recompute.assign(4 * stages, 0.0);
        for (std::size_t i = 0; i < stages; ++i) {  // the constant stages as they are
            flop[4 * i] = st.sample.stageFlop[i];
            recompute[4 * i] = st.sample.stageRecompute[i];
        }
    }
    std::array<double, State::kProductInputs> ratio{};
    for (std::size_t j = 0; j < st.slots.size(); ++j)
        ratio[j] =
            j == k ? 1.0 / st.median[k] : st.sample.quantities[st.slots[j].index] / st.median[j];
    // c x prod_{j != k} r_j^e_j x (v / m_k)^e_k: the coefficient of v^e_k.
    const auto put = [&](double* at, double c, std::uint32_t exps) {
        at[(exps >> (2 * k)) & 3U] = productOfRatios(ratio.data(), c, exps);
    };
    for (std::size_t j = 0; j < st.varying.size(); ++j) {
        const std::size_t i = st.varying[j];
        double* f = &flop[4 * i];
        double* r = &recompute[4 * i];
        f[0] = r[0] = 0;
        put(f, st.product[j].flop, st.product[j].flopExp);
        put(r, st.product[j].recompute, st.product[j].recomputeExp);
    }
}

double detail::SampleEngine::median(std::size_t k) const {
    return s_->median[k];
}

bool detail::SampleEngine::stageProduct(std::size_t stage, double& flop, std::uint32_t& flopExp,
                                        double& recompute, std::uint32_t& recomputeExp) const {
    const State& st = *s_;
    const int j = stage < st.productAt.size() ? st.productAt[stage] : -1;
    if (j < 0) return false;
    const State::Product& p = st.product[static_cast<std::size_t>(j)];
    flop = p.flop;
    flopExp = p.flopExp;
    recompute = p.recompute;
    recomputeExp = p.recomputeExp;
    return true;
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
