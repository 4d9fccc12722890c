#pragma once
// Private to evaluator_quadrature.cpp (fast path): along the inner input, the other inputs as
// set, each distinct leaf's x and t as polynomials in the inner input's value, when the
// record's stages are products of powers of their inputs (SampleEngine::useProducts). A point
// of a line then costs a few multiplications instead of evaluating the stages' plans, with the
// same values to within a few units in the last place.
#include "base/exact_fast.hpp"
#include "estimate/sampling.hpp"
#include "policy/draw_plan.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flopledger::inline v1::detail {

/// Per uncertain input of `engine`: its position in Sample::quantities and its median (after
/// useProducts), the tables ProductLine and PairLine read at every point.
inline void inputTables(const SampleEngine& engine, std::vector<std::size_t>& index,
                        std::vector<double>& medians) {
    index.resize(engine.inputCount());
    medians.resize(index.size());
    for (std::size_t k = 0; k < index.size(); ++k) {
        index[k] = engine.inputIndex(k);
        medians[k] = engine.median(k);
    }
}

class ProductLine {
public:
    using Poly = std::array<double, 4>;  // constant coefficient first

    /// A new group (other leaves, another inner input, another record): the next build
    /// starts afresh.
    void restart() { fresh_ = true; }

    /// The polynomials of `leaves` (distinct leaf indices) along input `inner`.
    /// (Inline: once per integration point; the generic lines out of line, buildGeneric.)
    [[gnu::always_inline]] void build(const DrawPlan& plan, const SampleEngine& engine,
                                      std::size_t inner, const std::vector<std::size_t>& leaves) {
        const Sample& s = engine.sample();
        if (fresh_) prepare(plan, engine, inner, leaves);
        if (compiled_) {
            // Scope sums and largest stages against constants (the usual case): each is its
            // constant stages plus, per varying stage term, one coefficient from the outer
            // inputs' ratios to their medians.
            // Each ratio's powers once per point, then per term the factors its exponents name
            // in input order: productOfRatios' multiplications, without the per-bit walk
            // (OFF: productOfRatios).
            for (std::size_t k = 0; k < ratio_.size(); ++k) {
                const double r =
                    k == inner ? 1.0 / median_[k] : s.quantities[index_[k]] / median_[k];
                ratio_[k] = r;
                const double r2 = r * r;
                power_[4 * k + 1] = r;
                power_[4 * k + 2] = r2;
                power_[4 * k + 3] = r2 * r;
            }
            acc_ = base_;
            if constexpr (kFastPaths) {
                for (const Term& t : terms_) {
                    double v = t.c;
                    for (std::uint32_t f = t.factorBegin; f < t.factorEnd; ++f)
                        v *= power_[factor_[f]];
                    acc_[t.acc][t.power] += v;
                }
            } else {
                for (const Term& t : terms_)
                    acc_[t.acc][t.power] += productOfRatios(ratio_.data(), t.c, t.exps);
            }
            return;
        }
        buildGeneric(plan, engine, inner, leaves);
    }

    /// build() when a leaf is not a scope sum or largest stage against a constant.
    void buildGeneric(const DrawPlan& plan, const SampleEngine& engine, std::size_t inner,
                      const std::vector<std::size_t>& leaves) {
        const Sample& s = engine.sample();
        engine.productsAlong(inner, flop_, recompute_, !genericFresh_);
        genericFresh_ = false;
        const std::size_t sums = plan.sumEnd.size();
        acc_.resize(sums);
        for (std::size_t k = 0, term = 0; k < sums; ++k) {
            Poly total{};
            for (; term < plan.sumEnd[k]; ++term) {
                const StageTerm& e = plan.sumTerms[term];
                add(total, e.recompute ? recompute_ : flop_, static_cast<std::size_t>(e.stage));
            }
            acc_[k] = total;
        }
        for (std::size_t u : leaves) {
            const DrawLeaf& d = plan.drawLeaves[u];
            Leaf& l = leaf_[u];
            switch (d.kind) {
                case DrawLeaf::Kind::Fixed:
                case DrawLeaf::Kind::Sum:
                    break;
                case DrawLeaf::Kind::Largest: {
                    // As largestStageFlop: a stage's FLOP plus its recompute when listed next.
                    const std::vector<StageTerm>& terms =
                        plan.scopeTerms[static_cast<std::size_t>(d.scope)];
                    l.largestBegin = acc_.size();
                    for (std::size_t j = 0; j < terms.size(); ++j) {
                        Poly p{};
                        add(p, flop_, static_cast<std::size_t>(terms[j].stage));
                        if (j + 1 < terms.size() && terms[j + 1].recompute) {
                            ++j;
                            add(p, recompute_, static_cast<std::size_t>(terms[j].stage));
                        }
                        acc_.push_back(p);
                    }
                    l.largestEnd = acc_.size();
                    break;
                }
                case DrawLeaf::Kind::Cost:
                    l.x = Poly{};
                    for (std::size_t j = d.costBegin; j < d.costEnd; ++j)
                        addValue(l.x, plan.costTerms[j], engine, inner, s, 1.0);
                    break;
                case DrawLeaf::Kind::Value:
                    l.x = Poly{};
                    addValue(l.x, d.x, engine, inner, s, 1.0);
                    break;
            }
            if (d.tFromParent) {
                l.t = Poly{};
                addValue(l.t, d.parent, engine, inner, s, d.factor);
            }
        }
    }

    /// Leaf u's x and t at inner value v; it holds when compareDouble(reading, x, t).
    void xt(std::size_t u, double v, double& x, double& t) const {
        const Leaf& l = leaf_[u];
        switch (l.kind) {
            case DrawLeaf::Kind::Sum:
                x = at(acc_[l.sum], v);
                break;
            case DrawLeaf::Kind::Largest:
                x = 0;
                for (std::size_t j = l.largestBegin; j < l.largestEnd; ++j)
                    x = std::max(x, at(acc_[j], v));
                break;
            default:
                x = at(l.x, v);
                break;
        }
        t = at(l.t, v);
    }

private:
    // What does not move with the outer inputs, once per group: the leaves' kinds and constant
    // thresholds and, when every leaf is a scope sum or largest stage against a constant, each
    // polynomial's constant stages and varying terms.
    void prepare(const DrawPlan& plan, const SampleEngine& engine, std::size_t inner,
                 const std::vector<std::size_t>& leaves) {
        fresh_ = false;
        genericFresh_ = true;
        compiled_ = true;
        leaf_.resize(plan.drawLeaves.size());
        for (std::size_t u : leaves) {
            const DrawLeaf& d = plan.drawLeaves[u];
            Leaf& l = leaf_[u];
            l = Leaf{};
            l.kind = d.kind;
            if (d.kind == DrawLeaf::Kind::Sum) l.sum = plan.sumOf[u];
            if (!d.tFromParent) l.t[0] = d.t;
            compiled_ = compiled_ && !d.tFromParent &&
                        (d.kind == DrawLeaf::Kind::Sum || d.kind == DrawLeaf::Kind::Largest);
        }
        if (!compiled_) return;
        ratio_.assign(engine.inputCount(), 0.0);
        inputTables(engine, index_, median_);
        terms_.clear();
        factor_.clear();
        power_.assign(4 * ratio_.size(), 1.0);
        const std::size_t sums = plan.sumEnd.size();
        base_.assign(sums, Poly{});
        const Sample& s = engine.sample();
        // Term e of a polynomial: its constant part, or a varying term.
        const auto addTerm = [&](std::size_t acc, const StageTerm& e) {
            const auto i = static_cast<std::size_t>(e.stage);
            double flop = 0, recompute = 0;
            std::uint32_t flopExp = 0, recomputeExp = 0;
            if (!engine.stageProduct(i, flop, flopExp, recompute, recomputeExp)) {
                base_[acc][0] += e.recompute ? s.stageRecompute[i] : s.stageFlop[i];
                return;
            }
            const double c = e.recompute ? recompute : flop;
            const std::uint32_t exps = e.recompute ? recomputeExp : flopExp;
            if (c == 0) return;
            Term t{acc, (exps >> (2 * inner)) & 3U, c, exps, 0, 0};
            t.factorBegin = static_cast<std::uint32_t>(factor_.size());
            for (std::uint32_t k = 0, x = exps; x != 0; ++k, x >>= 2U)
                if ((x & 3U) != 0) factor_.push_back(4 * k + (x & 3U));
            t.factorEnd = static_cast<std::uint32_t>(factor_.size());
            terms_.push_back(t);
        };
        std::vector<char> done(sums, 0);
        for (std::size_t u : leaves) {
            const DrawLeaf& d = plan.drawLeaves[u];
            Leaf& l = leaf_[u];
            if (d.kind == DrawLeaf::Kind::Sum) {
                const std::size_t k = plan.sumOf[u];
                if (done[k]) continue;
                done[k] = 1;
                for (std::size_t term = k == 0 ? 0 : plan.sumEnd[k - 1]; term < plan.sumEnd[k];
                     ++term)
                    addTerm(k, plan.sumTerms[term]);
                continue;
            }
            const std::vector<StageTerm>& terms =
                plan.scopeTerms[static_cast<std::size_t>(d.scope)];
            l.largestBegin = base_.size();
            for (std::size_t j = 0; j < terms.size(); ++j) {
                base_.emplace_back();
                addTerm(base_.size() - 1, terms[j]);
                if (j + 1 < terms.size() && terms[j + 1].recompute) {
                    ++j;
                    addTerm(base_.size() - 1, terms[j]);
                }
            }
            l.largestEnd = base_.size();
        }
    }

    struct Term {  // a varying stage's term of polynomial acc: c x prod ratio^e, at `power`
        std::size_t acc;
        std::uint32_t power;
        double c;
        std::uint32_t exps;
        std::uint32_t factorBegin, factorEnd;  // its factors: factor_[begin, end)
    };
    struct Leaf {
        DrawLeaf::Kind kind = DrawLeaf::Kind::Fixed;
        std::size_t sum = 0;  // Kind::Sum: its polynomial, acc_[sum]
        Poly x{}, t{};
        std::size_t largestBegin = 0, largestEnd = 0;  // Kind::Largest: acc_[begin, end)
    };
    static double at(const Poly& p, double v) { return ((p[3] * v + p[2]) * v + p[1]) * v + p[0]; }
    static void add(Poly& p, const std::vector<double>& coefficients, std::size_t stage) {
        for (std::size_t e = 0; e < 4; ++e) p[e] += coefficients[4 * stage + e];
    }
    // A point value, or the inner input itself (the coefficient of v), times `factor`.
    static void addValue(Poly& p, const DrawValue& dv, const SampleEngine& engine,
                         std::size_t inner, const Sample& s, double factor) {
        if (dv.q != nullptr && engine.inputOf(*dv.q) == static_cast<int>(inner))
            p[1] += factor;
        else
            p[0] += dv.get(s) * factor;
    }

    bool fresh_ = true, genericFresh_ = true, compiled_ = false;
    std::vector<double> ratio_, median_;
    std::vector<std::size_t> index_;  // per input: its position in Sample::quantities
    std::vector<Poly> base_;          // compiled: per polynomial, its constant stages
    std::vector<Term> terms_;
    // Per point, input k's ratio to the power e at power_[4k + e]; a term's factors are the
    // indices 4k + e of its non-zero exponents, in input order.
    std::vector<double> power_;
    std::vector<std::uint32_t> factor_;
    std::vector<double> flop_, recompute_;
    // Per scope sum (by the plan's index), then the largest-stage leaves' per-stage values.
    std::vector<Poly> acc_;
    std::vector<Leaf> leaf_;
};

}  // namespace flopledger::inline v1::detail
