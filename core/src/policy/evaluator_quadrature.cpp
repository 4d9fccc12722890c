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
// cell's error); two: the mean over a 233-point Fibonacci lattice; more: the mean over 512
// points of a Halton sequence. The most influential input is the exact one. Two inputs that the
// leaves read only through their product N x D (6ND with parameter and token intervals) are
// integrated exactly together, along N x D (policy/pair_line.hpp, policy/product_cdf.cpp); a
// third then by the adaptive trapezoid rule, to 0.001. No random numbers: identical on every
// platform and thread count.
#include "base/exact_fast.hpp"
#include "estimate/sampling.hpp"
#include "policy/draw_plan.hpp"
#include "policy/pair_line.hpp"
#include "policy/product_line.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {
namespace {

constexpr int kHaltonPoints = 512;
// Three inputs: a Fibonacci lattice (N = F(13), step F(12)); closer to 10^6 Monte Carlo draws
// than 512 Halton points were (docs/methodology.md) with less than half the points.
constexpr int kLatticePoints = 233;
constexpr int kLatticeStep = 144;
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

// Coordinate j of Halton point n (1 <= n <= kHaltonPoints). The first kTabled coordinates come
// from a table filled once with the same function (OFF: computed every time).
double haltonCoordinate(int n, std::size_t j) {
    constexpr std::size_t kTabled = 4;
    const std::uint64_t base = kPrimes[j % (sizeof kPrimes / sizeof kPrimes[0])];
    if constexpr (kFastPaths) {
        static const std::vector<double> table = [] {
            std::vector<double> t(kTabled * kHaltonPoints);
            for (std::size_t b = 0; b < kTabled; ++b)
                for (int i = 1; i <= kHaltonPoints; ++i)
                    t[b * kHaltonPoints + static_cast<std::size_t>(i - 1)] =
                        radicalInverse(static_cast<std::uint64_t>(i), kPrimes[b]);
            return t;
        }();
        if (j < kTabled) return table[j * kHaltonPoints + static_cast<std::size_t>(n - 1)];
    }
    return radicalInverse(static_cast<std::uint64_t>(n), base);
}

// What the leaves of a group of policies do along the inner input at one setting of the other
// inputs: per distinct leaf, whether it holds at the inner input's low and high ends, and where
// (a quantile) each leaf that changes switches, sorted by (quantile, leaf).
struct LeafLine {
    struct Crossing {
        double at;
        std::size_t leaf;
    };
    std::vector<char> low, high;
    std::vector<Crossing> crossings;
    std::vector<double> at;  // per distinct leaf that changes: its crossing's quantile
};

// One policy to integrate: its program (plan.programEnd[policy - 1] .. [policy]), the distinct
// leaves it reads, its inputs (the inner one first) and, when done, its probability and note.
struct PolicyJob {
    std::size_t policy = 0;
    std::vector<char> active;  // per distinct leaf
    std::vector<std::size_t> dims;
    // With few leaves, the tree's value for each combination of them (bit i: leaves[i] holds),
    // read instead of walking the program at every segment (OFF: empty, the program is run).
    std::vector<std::size_t> leaves;
    std::vector<int> bitOf;  // per distinct leaf: its bit, or -1
    std::vector<char> table;
    // Two inputs read only through their product (PairLine), integrated at once; -1: none.
    int pairN = -1, pairD = -1;
    double probability = 0;
    std::string note;
};

// A policy's probability depends on its own leaves only: each leaf's values at the inner input's
// ends and its switch point are the same whichever policy asks, so the policies of a record with
// the same inputs (in the same order) share one LeafLine per integration point and each adds its
// own segments, in its own order: the same doubles as integrating every policy alone.
class Integrator {
public:
    Integrator(const DrawPlan& plan, SampleEngine& engine) : plan_(plan), engine_(engine) {
        const std::size_t n = plan.drawLeaves.size();
        holds_.assign(n, 0);
        gapLow_.assign(n, 0);
        gapHigh_.assign(n, 0);
        stack_.resize(plan.program.size() + 1);
    }

    /// The leaves line() works out (the union of the group's), and the inner input.
    void setLeaves(const std::vector<char>& active) {
        leaves_.clear();
        for (std::size_t u = 0; u < active.size(); ++u)
            if (active[u]) leaves_.push_back(u);
    }
    void setInner(std::size_t inner) {
        inner_ = inner;
        law_ = engine_.law(inner);
    }
    /// Lines from the stages' products (fast path: SampleEngine::useProducts held).
    void setProducts(bool on) {
        products_ = on;
        product_.restart();
    }

    /// Lines along the product of inputs n and d (PairLine) instead of one inner input.
    void setPair(bool on, std::size_t n = 0, std::size_t d = 0) {
        pair_ = on;
        if (on) pairLine_.prepare(plan_, engine_, n, d, leaves_);
    }

    /// The group's leaves along the inner input, the other inputs as set.
    void line(LeafLine& out) {
        const std::size_t n = plan_.drawLeaves.size();
        out.low.resize(n);
        out.high.resize(n);
        out.at.resize(n);
        if (pair_) {
            pairLine_.at(engine_.sample());
            out.crossings.clear();
            for (std::size_t u : leaves_) {
                pairLine_.leaf(u, out.low[u], out.high[u], out.at[u]);
                if (out.low[u] != out.high[u]) out.crossings.push_back({out.at[u], u});
            }
            sortCrossings(out);
            return;
        }
        const double a = kFastPaths ? law_.low : engine_.low(inner_);
        const double b = kFastPaths ? law_.high : engine_.high(inner_);
        if (products_) {
            product_.build(plan_, engine_, inner_, leaves_);
            for (std::size_t u : leaves_) {
                out.low[u] = productHoldsGap(u, a, gapLow_[u]);
                out.high[u] = productHoldsGap(u, b, gapHigh_[u]);
            }
        } else {
            evaluateAt(a);
            for (std::size_t u : leaves_) {
                double g = 0;
                out.low[u] = holdsGap(u, g);
                gapLow_[u] = g;
            }
            evaluateAt(b);
            for (std::size_t u : leaves_) {
                double g = 0;
                out.high[u] = holdsGap(u, g);
                gapHigh_[u] = g;
            }
        }
        // Each leaf that changes along the inner input switches once (monotone): at quantile
        // cdf(root). Below its switch it holds as at the low end, above as at the high end.
        out.crossings.clear();
        for (std::size_t u : leaves_) {
            if (out.low[u] == out.high[u]) continue;
            const double root = rootOf(u, a, gapLow_[u], b, gapHigh_[u]);
            // (the inner input's law kept per group, its distribution function inline; OFF:
            // SampleEngine::cdf, the same formula)
            const double at = kFastPaths ? cdfOf(law_, root) : engine_.cdf(inner_, root);
            out.crossings.push_back({at, u});
            out.at[u] = at;
        }
        sortCrossings(out);
    }

    static void sortCrossings(LeafLine& out) {
        auto before = [](const LeafLine::Crossing& x, const LeafLine::Crossing& y) {
            return x.at < y.at || (x.at == y.at && x.leaf < y.leaf);
        };
        std::vector<LeafLine::Crossing>& cs = out.crossings;
        // One or two crossings (most lines): what std::sort's insertion sort does, without
        // the call (OFF: std::sort always).
        if (kFastPaths && cs.size() < 2) return;
        if (kFastPaths && cs.size() == 2) {
            if (before(cs[1], cs[0])) std::swap(cs[0], cs[1]);
            return;
        }
        std::sort(cs.begin(), cs.end(), before);
    }

    /// Adds weight x P(job's policy holds | the outer inputs of `l`) to acc.
    [[gnu::always_inline]] void add(const LeafLine& l, const PolicyJob& job, double weight,
                                    double& acc) {
        if (kFastPaths && job.leaves.size() == 1 && !job.table.empty()) {
            // One leaf (most policies): its own crossing, without walking the others' (the
            // same additions as the loop below).
            const std::size_t u = job.leaves.front();
            const std::size_t lo = l.low[u] != 0, hi = l.high[u] != 0;
            double from = 0;
            if (lo != hi) {
                const double at = l.at[u];
                if (at > from && job.table[lo]) acc += weight * (at - from);
                from = std::max(from, at);
            }
            if (from < 1 && job.table[hi]) acc += weight * (1 - from);
            return;
        }
        addSegments(l, job, weight, acc);
    }

    /// add() for a policy of several leaves (or without a truth table): segment by segment.
    void addSegments(const LeafLine& l, const PolicyJob& job, double weight, double& acc) {
        if (!job.table.empty()) {
            // The same segments and additions as below, the tree read from the table.
            std::size_t m = 0;
            for (std::size_t i = 0; i < job.leaves.size(); ++i)
                m |= static_cast<std::size_t>(l.low[job.leaves[i]] != 0) << i;
            double from = 0;
            for (const LeafLine::Crossing& c : l.crossings) {
                const int bit = job.bitOf[c.leaf];
                if (bit < 0) continue;
                if (c.at > from && job.table[m]) acc += weight * (c.at - from);
                from = std::max(from, c.at);
                m = (m & ~(std::size_t{1} << bit)) |
                    (static_cast<std::size_t>(l.high[c.leaf] != 0) << bit);
            }
            if (from < 1 && job.table[m]) acc += weight * (1 - from);
            return;
        }
        const std::vector<char>& active = job.active;
        for (std::size_t u : leaves_)
            if (active[u]) holds_[u] = l.low[u];
        double from = 0;
        for (const LeafLine::Crossing& c : l.crossings) {
            if (!active[c.leaf]) continue;
            if (c.at > from) run(job.policy, weight * (c.at - from), acc);
            from = std::max(from, c.at);
            holds_[c.leaf] = l.high[c.leaf];
        }
        if (from < 1) run(job.policy, weight * (1 - from), acc);
    }

    /// Fills job.table (few leaves only): the tree for every combination of its leaves.
    void tabulate(PolicyJob& job) {
        constexpr std::size_t kMaxLeaves = 8;
        job.leaves.clear();
        job.bitOf.assign(job.active.size(), -1);
        for (std::size_t u = 0; u < job.active.size(); ++u) {
            if (!job.active[u]) continue;
            job.bitOf[u] = static_cast<int>(job.leaves.size());
            job.leaves.push_back(u);
        }
        job.table.clear();
        if (job.leaves.size() > kMaxLeaves) return;
        job.table.resize(std::size_t{1} << job.leaves.size());
        for (std::size_t m = 0; m < job.table.size(); ++m) {
            for (std::size_t i = 0; i < job.leaves.size(); ++i)
                holds_[job.leaves[i]] = static_cast<char>((m >> i) & 1U);
            double hit = 0;
            run(job.policy, 1.0, hit);
            job.table[m] = hit > 0 ? 1 : 0;
        }
    }

    /// The policy with no input that moves its leaves: adds weight when it holds as set.
    void addFixed(const PolicyJob& job, double weight, double& acc) {
        evaluate();
        for (std::size_t u = 0; u < job.active.size(); ++u) {
            if (!job.active[u]) continue;
            double g = 0;
            holds_[u] = holdsGap(u, g);
        }
        run(job.policy, weight, acc);
    }

    // How far input k moves the sampled leaves from its low to its high end (the others as
    // set): the largest |change of x - t| relative to |t| over the leaves (a maximum, so that a
    // leaf listed twice, as with FLOPLEDGER_FAST_PATHS=OFF, changes nothing).
    double influence(std::size_t k, const std::vector<char>& active) {
        const std::size_t n = plan_.drawLeaves.size();
        if constexpr (kFastPaths) {
            // Every job asks with the inputs at their medians: each leaf's change along input k
            // is the same for all of them, worked out once per record (OFF: per job).
            if (movedReady_.size() < engine_.inputCount()) {
                movedReady_.assign(engine_.inputCount(), 0);
                moved_.resize(engine_.inputCount() * n);
            }
            double* moved = moved_.data() + k * n;
            if (!movedReady_[k]) {
                movedReady_[k] = 1;
                const double keep = engine_.sample().quantities[engine_.inputIndex(k)];
                engine_.set(k, engine_.low(k));
                evaluate();
                for (std::size_t u = 0; u < n; ++u) moved[u] = gap(u);
                engine_.set(k, engine_.high(k));
                evaluate();
                for (std::size_t u = 0; u < n; ++u) {
                    double x = 0, t = 0;
                    leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
                    const double scale = std::abs(t) > 0 ? std::abs(t) : 1.0;
                    moved[u] = std::abs((x - t) - moved[u]) / scale;
                }
                engine_.set(k, keep);
            }
            double sum = 0;
            for (std::size_t u = 0; u < n; ++u)
                if (active[u]) sum = std::max(sum, moved[u]);
            return sum;
        }
        const double keep = engine_.sample().quantities[engine_.inputIndex(k)];
        std::vector<double> g(n);
        engine_.set(k, engine_.low(k));
        evaluate();
        for (std::size_t u = 0; u < n; ++u)
            if (active[u]) g[u] = gap(u);
        engine_.set(k, engine_.high(k));
        evaluate();
        double sum = 0;
        for (std::size_t u = 0; u < n; ++u) {
            if (!active[u]) continue;
            double x = 0, t = 0;
            leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
            const double scale = std::abs(t) > 0 ? std::abs(t) : 1.0;
            sum = std::max(sum, std::abs((x - t) - g[u]) / scale);
        }
        engine_.set(k, keep);
        return sum;
    }

private:
    void evaluate() {
        engine_.evaluate();
        scopeSums(plan_, engine_.sample(), sums_);
    }
    void evaluateAt(double q) {
        engine_.set(inner_, q);
        evaluate();
    }
    // Whether leaf u holds, and its x - t, from one computation of x and t.
    char holdsGap(std::size_t u, double& g) const {
        double x = 0, t = 0;
        leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
        g = x - t;
        return compareDouble(plan_.drawLeaves[u].reading, x, t) ? 1 : 0;
    }
    char productHoldsGap(std::size_t u, double v, double& g) const {
        double x = 0, t = 0;
        product_.xt(u, v, x, t);
        g = x - t;
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
            double x = 0, t = 0;
            if (products_) {
                product_.xt(u, c, x, t);
            } else {
                evaluateAt(c);
                leafXT(plan_, u, engine_.sample(), sums_.data(), x, t);
            }
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

    // Policy k's tree for the current holds_, adding `weight` to acc when it holds.
    void run(std::size_t k, double weight, double& acc) {
        std::size_t pc = k == 0 ? 0 : plan_.programEnd[k - 1];
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
        if (stack_[0] == Tri::True) acc += weight;
    }

    const DrawPlan& plan_;
    SampleEngine& engine_;
    std::size_t inner_ = 0;
    InputLaw law_;
    bool products_ = false;
    ProductLine product_;
    bool pair_ = false;
    PairLine pairLine_;
    std::vector<std::size_t> leaves_;
    std::vector<double> sums_;
    std::vector<char> holds_;
    std::vector<double> gapLow_, gapHigh_;
    std::vector<Tri> stack_;
    std::vector<double> moved_;     // per input k, per leaf u: influence's change, at k * n + u
    std::vector<char> movedReady_;  // per input: moved_ worked out
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

// The LeafLines of a group at outer quantiles already visited: the policies of a group start
// their trapezoid rules on the same 17 points. The lines live in the thread's store (their
// vectors keep their capacity from group to group); one memo at a time per thread.
class LineMemo {
public:
    LineMemo() : s_(store()) {
        s_.at.clear();
        s_.used = 0;
        if (++s_.generation == 0) {  // (wrapped: no stamp may look current)
            std::fill(s_.stamp.begin(), s_.stamp.end(), 0U);
            s_.generation = 1;
        }
        s_.stamp.resize(kSlots, 0U);
        s_.slot.resize(kSlots, 0U);
    }
    LineMemo(const LineMemo&) = delete;
    LineMemo& operator=(const LineMemo&) = delete;

    // The quantiles are looked up in a small open-addressing table while there are at most
    // kHashed of them (a group's rules share up to a few hundred points), else by a scan.
    const LeafLine* find(double u) const {
        if (s_.at.size() > kHashed) {
            for (std::size_t i = 0; i < s_.at.size(); ++i)
                if (s_.at[i] == u) return &s_.lines[i];
            return nullptr;
        }
        for (std::size_t i = hash(u); s_.stamp[i] == s_.generation; i = (i + 1) & (kSlots - 1))
            if (s_.at[s_.slot[i]] == u) return &s_.lines[s_.slot[i]];
        return nullptr;
    }
    LeafLine& add(double u) {
        s_.at.push_back(u);
        if (s_.at.size() <= kHashed) {
            std::size_t i = hash(u);
            while (s_.stamp[i] == s_.generation) i = (i + 1) & (kSlots - 1);
            s_.stamp[i] = s_.generation;
            s_.slot[i] = static_cast<std::uint32_t>(s_.at.size() - 1);
        }
        if (s_.used == s_.lines.size()) s_.lines.emplace_back();
        return s_.lines[s_.used++];
    }

private:
    static constexpr std::size_t kSlots = 2048;  // a power of two, twice kHashed
    static constexpr std::size_t kHashed = 1024;
    // Quantiles are in [0, 1] and never NaN; +0 and -0 (equal) hash alike.
    static std::size_t hash(double u) {
        const auto bits = std::bit_cast<std::uint64_t>(u == 0 ? 0.0 : u);
        return static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ULL) >> 53);  // 11 bits
    }
    struct Store {
        std::vector<double> at;
        std::deque<LeafLine> lines;  // stable addresses
        std::size_t used = 0;
        std::vector<std::uint32_t> stamp, slot;  // per table slot: its memo, its entry
        std::uint32_t generation = 0;
    };
    static Store& store() {
        thread_local Store s;
        return s;
    }
    Store& s_;
};

// The integral over input k's quantile of the conditional probabilities (another input exact),
// by the trapezoid rule on cells split where it is least certain: for a criterion monotone in
// the input, the conditional probability is monotone and a cell's error is at most half its
// length times the change across it. Cells are split until those bounds add up to at most
// `tolerance` (or kMaxPoints). Returns the number of points.
int adaptiveTrapezoid(Integrator& in, SampleEngine& engine, std::size_t k, PolicyJob& job,
                      LineMemo* memo, double tolerance = 0.0025) {
    constexpr int kStart = 16;
    constexpr int kMaxPoints = 513;
    struct Cell {
        double a, b;
        double fa, fb;
        double bound;
    };
    LeafLine scratch;
    auto at = [&](double u) {
        const LeafLine* l = memo ? memo->find(u) : nullptr;
        if (!l) {
            engine.set(k, engine.quantile(k, u));
            LeafLine& into = memo ? memo->add(u) : scratch;
            in.line(into);
            l = &into;
        }
        double f = 0.0;
        in.add(*l, job, 1.0, f);
        return f;
    };
    auto boundOf = [](const Cell& c) {
        const double d = std::max(0.0, std::abs(c.fb - c.fa));  // a NaN change counts as 0
        return 0.5 * d * (c.b - c.a);
    };
    // A total order (cells never share a left end): the same splits with any heap.
    auto worse = [](const Cell& x, const Cell& y) {
        return x.bound < y.bound || (x.bound == y.bound && x.a > y.a);
    };
    thread_local std::vector<Cell> kept;  // (one rule at a time per thread; OFF: fresh)
    std::vector<Cell> fresh;
    std::vector<Cell>& cells = kFastPaths ? kept : fresh;
    cells.clear();
    double prev = at(0.0);
    double total = 0;
    for (int i = 1; i <= kStart; ++i) {
        Cell c{static_cast<double>(i - 1) / kStart, static_cast<double>(i) / kStart, prev, 0, 0};
        c.fb = at(c.b);
        c.bound = boundOf(c);
        total += c.bound;
        prev = c.fb;
        cells.push_back(c);
    }
    std::make_heap(cells.begin(), cells.end(), worse);
    int points = kStart + 1;
    while (total > tolerance && points < kMaxPoints && cells.front().bound > 0) {
        std::pop_heap(cells.begin(), cells.end(), worse);
        const Cell c = cells.back();
        cells.pop_back();
        total -= c.bound;
        const double mid = 0.5 * (c.a + c.b);
        const double fm = at(mid);
        ++points;
        Cell left{c.a, mid, c.fa, fm, 0};
        Cell right{mid, c.b, fm, c.fb, 0};
        left.bound = boundOf(left);
        right.bound = boundOf(right);
        total += left.bound + right.bound;
        cells.push_back(left);
        std::push_heap(cells.begin(), cells.end(), worse);
        cells.push_back(right);
        std::push_heap(cells.begin(), cells.end(), worse);
    }
    // Summed in the order of the cells' positions: the result does not depend on the heap.
    std::sort(cells.begin(), cells.end(), [](const Cell& x, const Cell& y) { return x.a < y.a; });
    double probability = 0.0;
    for (const Cell& c : cells) probability += 0.5 * (c.fa + c.fb) * (c.b - c.a);
    job.probability = probability;
    return points;
}

void setMedians(SampleEngine& engine) {
    for (std::size_t i = 0; i < engine.inputCount(); ++i) engine.set(i, engine.quantile(i, 0.5));
}

// Policy job.policy's leaves and inputs, the most influential input first (integrated exactly:
// what is left for the outer rule is then smooth rather than a step).
void prepareJob(const DrawPlan& plan, SampleEngine& engine, Integrator& in, PolicyJob& job) {
    const std::size_t k = job.policy;
    setMedians(engine);
    job.active.assign(plan.drawLeaves.size(), 0);
    for (std::size_t pc = k == 0 ? 0 : plan.programEnd[k - 1]; pc < plan.programEnd[k]; ++pc) {
        const DrawOp& op = plan.program[pc];
        if (op.leaf < 0) continue;
        const int slot = plan.slotOf[static_cast<std::size_t>(op.leaf)];
        if (slot >= 0) job.active[static_cast<std::size_t>(slot)] = 1;
    }
    // The inputs that move the policy's sampled leaves, in input order.
    std::uint64_t used = 0;
    for (std::size_t u = 0; u < plan.drawLeaves.size(); ++u)
        if (job.active[u]) used |= leafInputs(plan, engine, u);
    std::vector<std::size_t>& dims = job.dims;
    for (std::size_t i = 0; i < engine.inputCount(); ++i)
        if (i >= 64 ? used == kAllInputs : ((used >> i) & 1U) != 0) dims.push_back(i);
    if (dims.size() > 1) {
        std::size_t best = 0;
        double most = -1;
        for (std::size_t j = 0; j < dims.size(); ++j) {
            const double f = in.influence(dims[j], job.active);
            if (f > most) {
                most = f;
                best = j;
            }
        }
        std::rotate(dims.begin(), dims.begin() + static_cast<long>(best),
                    dims.begin() + static_cast<long>(best) + 1);
    }
}

// A group with a pair: exact along the pair; a third input by the adaptive trapezoid rule, to a
// tighter bound than with one exact input (its lines are cheap: one productCdf per crossing).
constexpr double kPairTolerance = 0.001;
void integratePair(SampleEngine& engine, Integrator& in, const std::vector<PolicyJob*>& group,
                   std::vector<char>& active) {
    const PolicyJob& first = *group.front();
    const auto n = static_cast<std::size_t>(first.pairN), d = static_cast<std::size_t>(first.pairD);
    setMedians(engine);
    engine.useProducts(true);
    in.setProducts(false);
    in.setLeaves(active);
    if constexpr (kFastPaths)
        for (PolicyJob* job : group) in.tabulate(*job);
    in.setPair(true, n, d);
    std::size_t rest = 0;
    for (std::size_t k : first.dims)
        if (k != n && k != d) rest = k + 1;
    if (rest == 0) {
        LeafLine line;
        in.line(line);
        for (PolicyJob* job : group) {
            in.add(line, *job, 1.0, job->probability);
            job->note =
                "probability exact under the distribution of its 2 uncertain inputs (the "
                "distribution function of their product)";
        }
    } else {
        LineMemo memo;
        for (PolicyJob* job : group) {
            const int points = adaptiveTrapezoid(in, engine, rest - 1, *job,
                                                 kFastPaths ? &memo : nullptr, kPairTolerance);
            job->note.assign(
                "probability by quadrature over 3 uncertain inputs (two exact through their "
                "product, one by the adaptive trapezoid rule on ");
            job->note += std::to_string(points);
            job->note += " points; error at most 0.001)";
        }
    }
    in.setPair(false);
}

// The three-input note, the same for every such verdict: made once.
const std::string& latticeNote() {
    static const std::string note =
        "probability by quasi-Monte Carlo over 3 uncertain inputs (one exact, the others on a " +
        std::to_string(kLatticePoints) + "-point Fibonacci lattice)";
    return note;
}

// The probabilities of a group of jobs with the same inputs in the same order.
void integrateGroup(const DrawPlan& plan, SampleEngine& engine, Integrator& in,
                    const std::vector<PolicyJob*>& group) {
    const std::vector<std::size_t>& dims = group.front()->dims;
    setMedians(engine);
    // Lattice and Halton points (two outer inputs or more; a plain mean, where a few ulps stay
    // a few ulps): the stages as products of their inputs when they are. Elsewhere the stages'
    // plans, always: the trapezoid rule's splits compare error bounds exactly, so the same
    // doubles must give the same points (OFF: the plans everywhere).
    const bool products = engine.useProducts(kFastPaths && dims.size() > 2);
    if (dims.empty()) {
        for (PolicyJob* job : group) {
            in.addFixed(*job, 1.0, job->probability);
            job->note = "probability exact: no uncertain input moves the undecided criteria";
        }
        return;
    }
    in.setProducts(products);
    // The thread's (one group at a time; OFF: fresh).
    thread_local std::vector<char> keptActive;
    thread_local LeafLine keptLine;
    std::vector<char> freshActive;
    LeafLine freshLine;
    std::vector<char>& active = kFastPaths ? keptActive : freshActive;
    active.assign(plan.drawLeaves.size(), 0);
    for (const PolicyJob* job : group)
        for (std::size_t u = 0; u < active.size(); ++u) active[u] |= job->active[u];
    if (group.front()->pairN >= 0) {
        integratePair(engine, in, group, active);
        return;
    }
    in.setLeaves(active);
    in.setInner(dims.front());
    if constexpr (kFastPaths)
        for (PolicyJob* job : group) in.tabulate(*job);
    const std::size_t outer = dims.size() - 1;
    LeafLine& line = kFastPaths ? keptLine : freshLine;
    if (outer == 0) {
        in.line(line);
        for (PolicyJob* job : group) {
            in.add(line, *job, 1.0, job->probability);
            job->note =
                "probability exact under the distribution of its one uncertain input (closed form)";
        }
    } else if (outer == 1) {
        LineMemo memo;
        for (PolicyJob* job : group) {
            const int points =
                adaptiveTrapezoid(in, engine, dims[1], *job, kFastPaths ? &memo : nullptr);
            // Appended into the job's string (a reused job keeps its capacity).
            job->note.assign(
                "probability by quadrature over 2 uncertain inputs (one exact, one by the adaptive "
                "trapezoid rule on ");
            job->note += std::to_string(points);
            job->note += " points; error at most 0.0025)";
        }
    } else if (outer == 2) {
        // Three inputs: the two outer ones on a Fibonacci lattice, point i at quantiles
        // ((i + 1/2) / N, ((i x F) mod N + 1/2) / N) with N and F consecutive Fibonacci numbers.
        for (int i = 0; i < kLatticePoints; ++i) {
            const double u1 = (i + 0.5) / kLatticePoints;
            const double u2 = ((i * kLatticeStep) % kLatticePoints + 0.5) / kLatticePoints;
            engine.set(dims[1], engine.quantile(dims[1], u1));
            engine.set(dims[2], engine.quantile(dims[2], u2));
            in.line(line);
            for (PolicyJob* job : group) in.add(line, *job, 1.0 / kLatticePoints, job->probability);
        }
        for (PolicyJob* job : group) job->note.assign(latticeNote());
    } else {
        for (int n = 1; n <= kHaltonPoints; ++n) {
            for (std::size_t j = 0; j < outer; ++j)
                engine.set(dims[j + 1], engine.quantile(dims[j + 1], haltonCoordinate(n, j)));
            in.line(line);
            for (PolicyJob* job : group) in.add(line, *job, 1.0 / kHaltonPoints, job->probability);
        }
        for (PolicyJob* job : group) {
            job->note.assign("probability by quasi-Monte Carlo over ");
            job->note += std::to_string(dims.size());
            job->note += " uncertain inputs (one exact, the others on ";
            job->note += std::to_string(kHaltonPoints);
            job->note += " Halton points)";
        }
    }
}

// Policy k's program with its leaves named by distinct slot (or fixed outcome): two policies
// with the same key have the same probability.
void programKey(const DrawPlan& plan, std::size_t k, std::vector<int>& key) {
    key.clear();
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
}

}  // namespace

void deterministicProbabilities(const DrawPlan& plan, const EvaluatorState& state,
                                const ModelCtx& ctx, std::vector<double>& probability,
                                std::vector<std::string>& notes) {
    SampleEngine engine(state.estimator(), ctx.record, plan.stageNeeded);
    Integrator in(plan, engine);
    const std::size_t policies = plan.programEnd.size();
    probability.assign(policies, 0.0);
    notes.assign(policies, std::string());
    // The keys and jobs are the thread's, reused record after record with their capacity
    // (fast path; OFF: fresh). Each job is reset before use.
    struct Store {
        std::vector<std::vector<int>> keys;
        std::deque<PolicyJob> jobs;
        std::vector<std::size_t> jobOf;
        std::vector<char> done;
        std::vector<PolicyJob*> group;
    };
    thread_local Store kept;
    Store fresh;
    Store& st = kFastPaths ? kept : fresh;
    if (st.keys.size() < policies) st.keys.resize(policies);
    st.jobOf.assign(policies, 0);
    std::vector<std::vector<int>>& keys = st.keys;
    std::vector<std::size_t>& jobOf = st.jobOf;
    std::size_t jobCount = 0;
    // Each distinct program once (the same tree over the same comparisons: the same
    // probability), as a job with its inputs.
    for (std::size_t k = 0; k < policies; ++k) {
        programKey(plan, k, keys[k]);
        std::size_t same = 0;
        while (same < k && keys[same] != keys[k]) ++same;
        if (same < k) {
            jobOf[k] = jobOf[same];
            continue;
        }
        jobOf[k] = jobCount;
        if (jobCount == st.jobs.size()) st.jobs.emplace_back();
        PolicyJob& job = st.jobs[jobCount++];
        job.policy = k;
        job.dims.clear();
        job.leaves.clear();
        job.bitOf.clear();
        job.table.clear();
        job.probability = 0;
        job.note.clear();
        job.pairN = job.pairD = -1;
        prepareJob(plan, engine, in, job);
        PairLine::find(plan, engine, job.dims, job.active, job.pairN, job.pairD);
    }
    // Jobs with the same inputs in the same order are integrated together (OFF: each alone).
    std::deque<PolicyJob>& jobs = st.jobs;
    std::vector<char>& done = st.done;
    done.assign(jobCount, 0);
    std::vector<PolicyJob*>& group = st.group;
    for (std::size_t j = 0; j < jobCount; ++j) {
        if (done[j]) continue;
        group.assign(1, &jobs[j]);
        for (std::size_t i = j + 1; kFastPaths && i < jobCount; ++i) {
            if (done[i] || jobs[i].dims != jobs[j].dims || jobs[i].pairN != jobs[j].pairN ||
                jobs[i].pairD != jobs[j].pairD)
                continue;
            group.push_back(&jobs[i]);
            done[i] = 1;
        }
        integrateGroup(plan, engine, in, group);
    }
    for (std::size_t k = 0; k < policies; ++k) {
        const PolicyJob& job = jobs[jobOf[k]];
        probability[k] = std::clamp(job.probability, 0.0, 1.0);
        notes[k] = job.note;
    }
}

}  // namespace flopledger::inline v1::detail
