#pragma once
// Private to evaluator_quadrature.cpp (fast path): along the inner input, the other inputs as
// set, each distinct leaf's x and t as polynomials in the inner input's value, when the
// record's stages are products of powers of their inputs (SampleEngine::useProducts). A point
// of a line then costs a few multiplications instead of evaluating the stages' plans, with the
// same values to within a few units in the last place.
#include "estimate/sampling.hpp"
#include "policy/draw_plan.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace flopledger::inline v1::detail {

class ProductLine {
public:
    using Poly = std::array<double, 4>;  // constant coefficient first

    /// A new group (other leaves, another inner input, another record): the next build
    /// starts afresh.
    void restart() { fresh_ = true; }

    /// The polynomials of `leaves` (distinct leaf indices) along input `inner`.
    void build(const DrawPlan& plan, const SampleEngine& engine, std::size_t inner,
               const std::vector<std::size_t>& leaves) {
        engine.productsAlong(inner, flop_, recompute_, !fresh_);
        fresh_ = false;
        const Sample& s = engine.sample();
        sums_.resize(plan.sumEnd.size());
        for (std::size_t k = 0, term = 0; k < sums_.size(); ++k) {
            Poly total{};
            for (; term < plan.sumEnd[k]; ++term) {
                const StageTerm& e = plan.sumTerms[term];
                add(total, e.recompute ? recompute_ : flop_, static_cast<std::size_t>(e.stage));
            }
            sums_[k] = total;
        }
        leaf_.resize(plan.drawLeaves.size());
        largest_.clear();
        for (std::size_t u : leaves) {
            const DrawLeaf& d = plan.drawLeaves[u];
            Leaf& l = leaf_[u];
            l = Leaf{};
            l.kind = d.kind;
            l.reading = d.reading;
            switch (d.kind) {
                case DrawLeaf::Kind::Fixed:
                    break;
                case DrawLeaf::Kind::Sum:
                    l.x = sums_[plan.sumOf[u]];
                    break;
                case DrawLeaf::Kind::Largest: {
                    // As largestStageFlop: a stage's FLOP plus its recompute when listed next.
                    const std::vector<StageTerm>& terms =
                        plan.scopeTerms[static_cast<std::size_t>(d.scope)];
                    l.largestBegin = largest_.size();
                    for (std::size_t j = 0; j < terms.size(); ++j) {
                        Poly p{};
                        const auto stage = static_cast<std::size_t>(terms[j].stage);
                        add(p, flop_, stage);
                        if (j + 1 < terms.size() && terms[j + 1].recompute) {
                            ++j;
                            add(p, recompute_, static_cast<std::size_t>(terms[j].stage));
                        }
                        largest_.push_back(p);
                    }
                    l.largestEnd = largest_.size();
                    break;
                }
                case DrawLeaf::Kind::Cost:
                    for (std::size_t j = d.costBegin; j < d.costEnd; ++j)
                        addValue(l.x, plan.costTerms[j], engine, inner, s, 1.0);
                    break;
                case DrawLeaf::Kind::Value:
                    addValue(l.x, d.x, engine, inner, s, 1.0);
                    break;
            }
            if (d.tFromParent)
                addValue(l.t, d.parent, engine, inner, s, d.factor);
            else
                l.t[0] = d.t;
        }
    }

    /// Leaf u's x and t at inner value v; it holds when compareDouble(reading, x, t).
    void xt(std::size_t u, double v, double& x, double& t) const {
        const Leaf& l = leaf_[u];
        if (l.kind == DrawLeaf::Kind::Largest) {
            x = 0;
            for (std::size_t j = l.largestBegin; j < l.largestEnd; ++j)
                x = std::max(x, at(largest_[j], v));
        } else {
            x = at(l.x, v);
        }
        t = at(l.t, v);
    }
    Comparator reading(std::size_t u) const { return leaf_[u].reading; }

private:
    struct Leaf {
        DrawLeaf::Kind kind = DrawLeaf::Kind::Fixed;
        Comparator reading = Comparator::Greater;
        Poly x{}, t{};
        std::size_t largestBegin = 0, largestEnd = 0;
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

    bool fresh_ = true;
    std::vector<double> flop_, recompute_;
    std::vector<Poly> sums_, largest_;
    std::vector<Leaf> leaf_;
};

}  // namespace flopledger::inline v1::detail
