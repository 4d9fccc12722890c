// The deterministic probabilities of a record's indeterminate verdicts (docs/methodology.md,
// "Probabilities"), the default method; the Monte Carlo of evaluator_draws.cpp is the reference.
//
// Every criterion compares a value that is monotone in each uncertain input (FLOP, costs and
// revenues only grow with tokens, parameters, chips, hours, utilization and stated figures) with
// a threshold. One input, the "inner" one, is integrated exactly: each sampled leaf switches at
// most once along it, at the root of x - t (found to double precision: one secant step when x is
// linear in the input, as it is for every estimation method except shapes), and the probability
// mass on each side is the input's distribution function there (uniform, log-uniform and
// triangular in closed form). The other inputs that move a criterion are integrated numerically:
// none: the result is exact; one: the trapezoid rule, adaptive, to a bound of 0.0025 (for a
// monotone criterion the conditional probability is monotone in that input, which bounds each
// cell's error); more: the mean over 512 points of a Halton sequence. The most influential input
// is the exact one. No random numbers: identical on every platform and thread count.
#include "estimate/sampling.hpp"
#include "policy/draw_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {
namespace {

constexpr int kHaltonPoints = 512;
constexpr std::uint64_t kAllInputs = ~std::uint64_t{0};

// Van der Corput radical inverse of n in base b: the Halton sequence's coordinate.
double radicalInverse(std::uint64_t n, std::uint64_t base) {
    double inv = 1.0 / static_cast<double>(base), f = inv, r = 0;
    while (n > 0) {
        r += static_cast<double>(n % base) * f;
        n /= base;
        f *= inv;
    }
    return r;
}

constexpr std::uint64_t kPrimes[] = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41,
                                     43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97};

class Integrator {
public:
    // Policy `policy` alone, whose program reads the distinct leaves marked in `active`.
    Integrator(const DrawPlan& plan, SampleEngine& engine, std::vector<double>& hits,
               std::size_t policy, const std::vector<char>& active)
        : plan_(plan), engine_(engine), hits_(&hits), policy_(policy), active_(active) {
        const std::size_t n = plan.drawLeaves.size();
        holds_.assign(n, 0);
        low_.assign(n, 0);
        high_.assign(n, 0);
        gapLow_.assign(n, 0);
        gapHigh_.assign(n, 0);
        stack_.resize(plan.program.size() + 1);
    }

    void setInner(int inner) { inner_ = inner; }

    // out[0] = P(the policy holds | the outer inputs as set).
    void conditional(std::vector<double>& out) {
        out.assign(1, 0.0);
        hits_ = &out;
        addConditional(1.0);
    }

    // Adds weight x P(the policy holds | the outer inputs as set) to hits[0].
    void addConditional(double weight) {
        const std::size_t n = plan_.drawLeaves.size();
        if (inner_ < 0) {
            evaluate();
            for (std::size_t u = 0; u < n; ++u)
                if (active_[u]) holds_[u] = holds(u);
            run(weight);
            return;
        }
        const auto k = static_cast<std::size_t>(inner_);
        const double a = engine_.low(k), b = engine_.high(k);
        evaluateAt(a);
        for (std::size_t u = 0; u < n; ++u) {
            if (!active_[u]) continue;
            low_[u] = holds(u);
            gapLow_[u] = gap(u);
        }
        evaluateAt(b);
        for (std::size_t u = 0; u < n; ++u) {
            if (!active_[u]) continue;
            high_[u] = holds(u);
            gapHigh_[u] = gap(u);
        }
        // Each leaf that changes along the inner input switches once (monotone): at quantile
        // cdf(root). Below its switch it holds as at the low end, above as at the high end.
        crossings_.clear();
        for (std::size_t u = 0; u < n; ++u) {
            if (!active_[u]) continue;
            holds_[u] = low_[u];
            if (low_[u] == high_[u]) continue;
            const double root = rootOf(u, a, gapLow_[u], b, gapHigh_[u]);
            crossings_.push_back({engine_.cdf(k, root), u});
        }
        std::sort(crossings_.begin(), crossings_.end(), [](const Crossing& x, const Crossing& y) {
            return x.at < y.at || (x.at == y.at && x.leaf < y.leaf);
        });
        double from = 0;
        for (const Crossing& c : crossings_) {
            if (c.at > from) run(weight * (c.at - from));
            from = std::max(from, c.at);
            holds_[c.leaf] = high_[c.leaf];
        }
        if (from < 1) run(weight * (1 - from));
    }

    int evaluations() const { return evaluations_; }

    // How far input k moves the sampled leaves from its low to its high end (the others as
    // set): the largest |change of x - t| relative to |t| over the leaves (a maximum, so that a
    // leaf listed twice, as with FLOPLEDGER_FAST_PATHS=OFF, changes nothing).
    double influence(std::size_t k) {
        const std::size_t n = plan_.drawLeaves.size();
        const double keep = engine_.sample().quantities[engine_.inputIndex(k)];
        std::vector<double> g(n);
        engine_.set(k, engine_.low(k));
        evaluate();
        for (std::size_t u = 0; u < n; ++u)
            if (active_[u]) g[u] = gap(u);
        engine_.set(k, engine_.high(k));
        evaluate();
        double sum = 0;
        for (std::size_t u = 0; u < n; ++u) {
            if (!active_[u]) continue;
            double x = 0, t = 0;
            leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
            const double scale = std::abs(t) > 0 ? std::abs(t) : 1.0;
            sum = std::max(sum, std::abs((x - t) - g[u]) / scale);
        }
        engine_.set(k, keep);
        return sum;
    }

private:
    struct Crossing {
        double at;  // quantile of the inner input where the leaf switches
        std::size_t leaf;
    };

    void evaluate() {
        engine_.evaluate();
        scopeSums(plan_, engine_.sample(), sums_);
        ++evaluations_;
    }
    void evaluateAt(double q) {
        engine_.set(static_cast<std::size_t>(inner_), q);
        evaluate();
    }
    char holds(std::size_t u) const {
        double x = 0, t = 0;
        leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
        return compareDouble(plan_.drawLeaves[u].reading, x, t) ? 1 : 0;
    }
    double gap(std::size_t u) const {
        double x = 0, t = 0;
        leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
        return x - t;
    }

    // The root of leaf u's x - t between a and b (values fa, fb of opposite signs) by regula
    // falsi with the Illinois modification: exact after one step when x - t is linear.
    double rootOf(std::size_t u, double a, double fa, double b, double fb) {
        if (fa == 0) return a;
        if (fb == 0) return b;
        if ((fa < 0) == (fb < 0)) return 0.5 * (a + b);  // not a sign change (NaN): midpoint
        double c = b;
        for (int it = 0; it < 100; ++it) {
            c = (a * fb - b * fa) / (fb - fa);
            const double lo = std::min(a, b), hi = std::max(a, b);
            if (!(c > lo && c < hi)) c = 0.5 * (a + b);
            evaluateAt(c);
            double x = 0, t = 0;
            leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
            const double fc = x - t;
            if (fc == 0 || std::abs(fc) <= 1e-13 * (std::abs(x) + std::abs(t))) return c;
            if ((fc < 0) == (fb < 0)) {
                fa *= 0.5;
            } else {
                a = b;
                fa = fb;
            }
            b = c;
            fb = fc;
            if (std::abs(b - a) <= 1e-15 * std::max(std::abs(a), std::abs(b))) return c;
        }
        return c;
    }

    // The policy's tree for the current holds_, adding `weight` when it holds.
    void run(double weight) {
        const std::size_t k = policy_;
        std::size_t pc = k == 0 ? 0 : plan_.programEnd[k - 1];
        {
            Tri* top = stack_.data();
            for (; pc < plan_.programEnd[k]; ++pc) {
                const DrawOp& op = plan_.program[pc];
                if (op.leaf >= 0) {
                    const auto li = static_cast<std::size_t>(op.leaf);
                    const int slot = plan_.slotOf[li];
                    *top++ = slot < 0                                 ? plan_.leaves[li].fixed
                             : holds_[static_cast<std::size_t>(slot)] ? Tri::True
                                                                      : Tri::False;
                } else {
                    top -= op.count;
                    *top = combine(op.op, top, op.count);
                    ++top;
                }
            }
            if (stack_[0] == Tri::True) (*hits_)[0] += weight;
        }
    }

    const DrawPlan& plan_;
    SampleEngine& engine_;
    std::vector<double>* hits_;
    std::size_t policy_;
    const std::vector<char>& active_;
    int inner_ = -1;
    int evaluations_ = 0;
    std::vector<double> sums_;
    std::vector<char> holds_, low_, high_;
    std::vector<double> gapLow_, gapHigh_;
    std::vector<Crossing> crossings_;
    std::vector<Tri> stack_;
};

std::uint64_t inputBit(const SampleEngine& engine, const DrawValue& v) {
    if (v.q == nullptr) return 0;
    const int k = engine.inputOf(*v.q);
    if (k < 0) return 0;
    return k < 64 ? std::uint64_t{1} << k : kAllInputs;
}

// The inputs distinct leaf u reads.
std::uint64_t leafInputs(const DrawPlan& plan, const SampleEngine& engine, std::size_t u) {
    const DrawLeaf& d = plan.drawLeaves[u];
    std::uint64_t m = 0;
    switch (d.kind) {
        case DrawLeaf::Kind::Fixed:
            break;
        case DrawLeaf::Kind::Sum:
        case DrawLeaf::Kind::Largest:
            for (const StageTerm& term : plan.scopeTerms[static_cast<std::size_t>(d.scope)])
                m |= engine.stageInputs(static_cast<std::size_t>(term.stage));
            break;
        case DrawLeaf::Kind::Cost:
            for (std::size_t j = d.costBegin; j < d.costEnd; ++j)
                m |= inputBit(engine, plan.costTerms[j]);
            break;
        case DrawLeaf::Kind::Value:
            m |= inputBit(engine, d.x);
            break;
    }
    if (d.tFromParent) m |= inputBit(engine, d.parent);
    return m;
}

// The integral over input k's quantile of the conditional probabilities (another input exact),
// by the trapezoid rule on cells split where it is least certain: for a criterion monotone in
// the input, the conditional probability is monotone and a cell's error is at most half its
// length times the change across it. Cells are split until those bounds add up to at most
// kTolerance (or kMaxPoints). Returns the number of points.
int adaptiveTrapezoid(Integrator& in, SampleEngine& engine, std::size_t k,
                      std::vector<double>& probability) {
    constexpr int kStart = 16;
    constexpr int kMaxPoints = 513;
    constexpr double kTolerance = 0.0025;
    struct Cell {
        double a, b;
        std::vector<double> fa, fb;
        double bound;
    };
    auto at = [&](double u, std::vector<double>& f) {
        engine.set(k, engine.quantile(k, u));
        in.conditional(f);
    };
    auto boundOf = [](const Cell& c) {
        double d = 0;
        for (std::size_t j = 0; j < c.fa.size(); ++j) d = std::max(d, std::abs(c.fb[j] - c.fa[j]));
        return 0.5 * d * (c.b - c.a);
    };
    // A total order (cells never share a left end): the same splits with any heap.
    auto worse = [](const Cell& x, const Cell& y) {
        return x.bound < y.bound || (x.bound == y.bound && x.a > y.a);
    };
    std::vector<Cell> cells;
    std::vector<double> prev;
    at(0.0, prev);
    double total = 0;
    for (int i = 1; i <= kStart; ++i) {
        Cell c{static_cast<double>(i - 1) / kStart, static_cast<double>(i) / kStart, prev, {}, 0};
        at(c.b, c.fb);
        c.bound = boundOf(c);
        total += c.bound;
        prev = c.fb;
        cells.push_back(std::move(c));
    }
    std::make_heap(cells.begin(), cells.end(), worse);
    int points = kStart + 1;
    while (total > kTolerance && points < kMaxPoints && cells.front().bound > 0) {
        std::pop_heap(cells.begin(), cells.end(), worse);
        Cell c = std::move(cells.back());
        cells.pop_back();
        total -= c.bound;
        const double mid = 0.5 * (c.a + c.b);
        std::vector<double> fm;
        at(mid, fm);
        ++points;
        Cell left{c.a, mid, std::move(c.fa), fm, 0};
        Cell right{mid, c.b, fm, std::move(c.fb), 0};
        left.bound = boundOf(left);
        right.bound = boundOf(right);
        total += left.bound + right.bound;
        cells.push_back(std::move(left));
        std::push_heap(cells.begin(), cells.end(), worse);
        cells.push_back(std::move(right));
        std::push_heap(cells.begin(), cells.end(), worse);
    }
    // Summed in the order of the cells' positions: the result does not depend on the heap.
    std::sort(cells.begin(), cells.end(), [](const Cell& x, const Cell& y) { return x.a < y.a; });
    std::fill(probability.begin(), probability.end(), 0.0);
    for (const Cell& c : cells)
        for (std::size_t j = 0; j < probability.size(); ++j)
            probability[j] += 0.5 * (c.fa[j] + c.fb[j]) * (c.b - c.a);
    return points;
}

}  // namespace

namespace {

// Policy k's probability (the program between programEnd[k-1] and programEnd[k]) with only
// its own inputs: the same as for the policy evaluated alone, whatever else is selected.
double policyProbability(const DrawPlan& plan, SampleEngine& engine, std::size_t k,
                         std::string& note) {
    const std::size_t inputs = engine.inputCount();
    for (std::size_t i = 0; i < inputs; ++i) engine.set(i, engine.quantile(i, 0.5));
    std::vector<char> active(plan.drawLeaves.size(), 0);
    for (std::size_t pc = k == 0 ? 0 : plan.programEnd[k - 1]; pc < plan.programEnd[k]; ++pc) {
        const DrawOp& op = plan.program[pc];
        if (op.leaf < 0) continue;
        const int slot = plan.slotOf[static_cast<std::size_t>(op.leaf)];
        if (slot >= 0) active[static_cast<std::size_t>(slot)] = 1;
    }
    // The inputs that move the policy's sampled leaves, in input order.
    std::uint64_t used = 0;
    for (std::size_t u = 0; u < plan.drawLeaves.size(); ++u)
        if (active[u]) used |= leafInputs(plan, engine, u);
    std::vector<std::size_t> dims;
    for (std::size_t i = 0; i < inputs; ++i)
        if (i >= 64 ? used == kAllInputs : ((used >> i) & 1U) != 0) dims.push_back(i);

    std::vector<double> probability(1, 0.0);
    Integrator in(plan, engine, probability, k, active);
    if (dims.empty()) {
        in.addConditional(1.0);
        note = "probability exact: no uncertain input moves the undecided criteria";
        return std::clamp(probability[0], 0.0, 1.0);
    }
    // The most influential input is integrated exactly: what is left for the outer rule is
    // then smooth rather than a step.
    if (dims.size() > 1) {
        std::size_t best = 0;
        double most = -1;
        for (std::size_t j = 0; j < dims.size(); ++j) {
            const double f = in.influence(dims[j]);
            if (f > most) {
                most = f;
                best = j;
            }
        }
        std::rotate(dims.begin(), dims.begin() + static_cast<long>(best),
                    dims.begin() + static_cast<long>(best) + 1);
    }
    in.setInner(static_cast<int>(dims.front()));
    const std::size_t outer = dims.size() - 1;
    if (outer == 0) {
        in.addConditional(1.0);
        note = "probability exact under the distribution of its one uncertain input (closed form)";
    } else if (outer == 1) {
        const int points = adaptiveTrapezoid(in, engine, dims[1], probability);
        note =
            "probability by quadrature over 2 uncertain inputs (one exact, one by the adaptive "
            "trapezoid rule on " +
            std::to_string(points) + " points; error at most 0.0025)";
    } else {
        for (int n = 1; n <= kHaltonPoints; ++n) {
            for (std::size_t j = 0; j < outer; ++j) {
                const std::uint64_t base = kPrimes[j % (sizeof kPrimes / sizeof kPrimes[0])];
                engine.set(dims[j + 1],
                           engine.quantile(dims[j + 1],
                                           radicalInverse(static_cast<std::uint64_t>(n), base)));
            }
            in.addConditional(1.0 / kHaltonPoints);
        }
        note = "probability by quasi-Monte Carlo over " + std::to_string(dims.size()) +
               " uncertain inputs (one exact, the others on " + std::to_string(kHaltonPoints) +
               " Halton points)";
    }
    return std::clamp(probability[0], 0.0, 1.0);
}

// Policy k's program with its leaves named by distinct slot (or fixed outcome): two policies
// with the same key have the same probability.
std::vector<int> programKey(const DrawPlan& plan, std::size_t k) {
    std::vector<int> key;
    for (std::size_t pc = k == 0 ? 0 : plan.programEnd[k - 1]; pc < plan.programEnd[k]; ++pc) {
        const DrawOp& op = plan.program[pc];
        if (op.leaf >= 0) {
            const auto li = static_cast<std::size_t>(op.leaf);
            const int slot = plan.slotOf[li];
            key.push_back(slot >= 0 ? slot : -1 - static_cast<int>(plan.leaves[li].fixed));
        } else {
            key.push_back(-100 - 10 * static_cast<int>(op.op) - 1000 * op.count);
        }
    }
    return key;
}

}  // namespace

void deterministicProbabilities(const DrawPlan& plan, const EvaluatorState& state,
                                const ModelCtx& ctx, std::vector<double>& probability,
                                std::vector<std::string>& notes) {
    SampleEngine engine(state.estimator(), ctx.record, plan.stageNeeded);
    const std::size_t policies = plan.programEnd.size();
    probability.assign(policies, 0.0);
    notes.assign(policies, std::string());
    std::vector<std::vector<int>> keys(policies);
    for (std::size_t k = 0; k < policies; ++k) {
        keys[k] = programKey(plan, k);
        std::size_t same = 0;
        while (same < k && keys[same] != keys[k]) ++same;
        if (same < k) {  // the same tree over the same comparisons: the same probability
            probability[k] = probability[same];
            notes[k] = notes[same];
            continue;
        }
        probability[k] = policyProbability(plan, engine, k, notes[k]);
    }
}

}  // namespace flopledger::detail
