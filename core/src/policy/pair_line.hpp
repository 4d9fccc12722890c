#pragma once
// Private to evaluator_quadrature.cpp: two uncertain inputs N and D integrated at once, exactly,
// when every undecided leaf of a group reads them only through their product: each scope sum
// (or each stage of a largest-stage leaf) is A + B x N x D, A and B depending on the other
// inputs only (6ND with parameter and token intervals, the other stages constant or reading
// other inputs). Then a leaf switches once along Z = (N / median) (D / median), at
// Z* = (t - A) / B, and the mass below is P(N D <= Z* x medians) (productCdf). Requires the
// stages as products of their inputs (SampleEngine::useProducts). The same doubles with
// FLOPLEDGER_FAST_PATHS ON and OFF: nothing here depends on it.
#include "estimate/sampling.hpp"
#include "policy/draw_plan.hpp"
#include "policy/evaluator_detail.hpp"
#include "policy/product_cdf.hpp"
#include "policy/product_line.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flopledger::inline v1::detail {

class PairLine {
public:
    /// Whether leaf u reads inputs n and d only through n x d (with products fitted).
    static bool eligible(const DrawPlan& plan, const SampleEngine& engine, std::size_t n,
                         std::size_t d, std::size_t u) {
        const DrawLeaf& l = plan.drawLeaves[u];
        if (l.tFromParent) return false;
        const auto ok = [&](const StageTerm& e) {
            double flop = 0, recompute = 0;
            std::uint32_t fe = 0, re = 0;
            if (!engine.stageProduct(static_cast<std::size_t>(e.stage), flop, fe, recompute, re))
                return true;  // a constant stage
            const double c = e.recompute ? recompute : flop;
            const std::uint32_t exps = e.recompute ? re : fe;
            if (c == 0) return true;
            const std::uint32_t en = (exps >> (2 * n)) & 3U, ed = (exps >> (2 * d)) & 3U;
            return c > 0 && en == ed && en <= 1;
        };
        if (l.kind == DrawLeaf::Kind::Sum) {
            const std::size_t k = plan.sumOf[u];
            for (std::size_t j = k == 0 ? 0 : plan.sumEnd[k - 1]; j < plan.sumEnd[k]; ++j)
                if (!ok(plan.sumTerms[j])) return false;
            return true;
        }
        if (l.kind == DrawLeaf::Kind::Largest) {
            for (const StageTerm& e : plan.scopeTerms[static_cast<std::size_t>(l.scope)])
                if (!ok(e)) return false;
            return true;
        }
        return false;
    }

    /// Two of a job's two or three inputs `dims` that its leaves (`active`, per distinct leaf)
    /// read only through their product, into n and d (else left at -1). The same with
    /// FLOPLEDGER_FAST_PATHS ON and OFF (a method, not a fast path); the inputs are left at
    /// their medians and the stages' plans back in use.
    static void find(const DrawPlan& plan, SampleEngine& engine,
                     const std::vector<std::size_t>& dims, const std::vector<char>& active, int& n,
                     int& d) {
        if (dims.size() < 2 || dims.size() > 3) return;
        std::uint64_t mask = 0;
        for (std::size_t k : dims) {
            if (k >= 16) return;  // (products' exponents: 2 bits for each of 16 inputs)
            mask |= std::uint64_t{1} << k;
        }
        bool joint = false;  // a stage reads two of the inputs
        for (std::size_t u = 0; u < plan.drawLeaves.size(); ++u) {
            if (!active[u]) continue;
            const DrawLeaf& l = plan.drawLeaves[u];
            if (l.tFromParent ||
                (l.kind != DrawLeaf::Kind::Sum && l.kind != DrawLeaf::Kind::Largest))
                return;
            for (const StageTerm& e : plan.scopeTerms[static_cast<std::size_t>(l.scope)])
                joint =
                    joint || std::popcount(engine.stageInputs(static_cast<std::size_t>(e.stage)) &
                                           mask) >= 2;
        }
        if (!joint) return;
        for (std::size_t k = 0; k < engine.inputCount(); ++k)
            engine.set(k, engine.quantile(k, 0.5));
        if (engine.useProducts(true)) {
            for (std::size_t i = 0; i < dims.size() && n < 0; ++i)
                for (std::size_t j = i + 1; j < dims.size() && n < 0; ++j) {
                    bool ok = true;
                    for (std::size_t u = 0; ok && u < plan.drawLeaves.size(); ++u)
                        ok = !active[u] || eligible(plan, engine, dims[i], dims[j], u);
                    if (!ok) continue;
                    n = static_cast<int>(dims[i]);
                    d = static_cast<int>(dims[j]);
                }
        }
        engine.useProducts(false);
    }

    /// The group's leaves (each eligible) along the pair (n, d); the other inputs as set later.
    void prepare(const DrawPlan& plan, const SampleEngine& engine, std::size_t n, std::size_t d,
                 const std::vector<std::size_t>& leaves) {
        n_ = n;
        d_ = d;
        lawN_ = engine.law(n);
        lawD_ = engine.law(d);
        medN_ = engine.median(n);
        medD_ = engine.median(d);
        zLow_ = (lawN_.low / medN_) * (lawD_.low / medD_);
        zHigh_ = (lawN_.high / medN_) * (lawD_.high / medD_);
        ratio_.assign(engine.inputCount(), 1.0);
        inputTables(engine, index_, medians_);
        const Sample& s = engine.sample();
        polys_.clear();
        terms_.clear();
        leaf_.resize(plan.drawLeaves.size());
        const auto addTerm = [&](const StageTerm& e) {
            const auto i = static_cast<std::size_t>(e.stage);
            double flop = 0, recompute = 0;
            std::uint32_t fe = 0, re = 0;
            if (!engine.stageProduct(i, flop, fe, recompute, re)) {
                polys_.back().base += e.recompute ? s.stageRecompute[i] : s.stageFlop[i];
                return;
            }
            const double c = e.recompute ? recompute : flop;
            if (c == 0) return;
            const std::uint32_t exps = e.recompute ? re : fe;
            terms_.push_back({c, exps, ((exps >> (2 * n)) & 3U) != 0});
            ++polys_.back().termEnd;
        };
        const auto newPoly = [&] {
            const auto at = static_cast<std::uint32_t>(terms_.size());
            polys_.push_back({0, at, at, 0, 0});
        };
        for (std::size_t u : leaves) {
            const DrawLeaf& l = plan.drawLeaves[u];
            Leaf& f = leaf_[u];
            f.reading = l.reading;
            f.t = l.t;
            f.begin = polys_.size();
            if (l.kind == DrawLeaf::Kind::Sum) {
                const std::size_t k = plan.sumOf[u];
                newPoly();
                for (std::size_t j = k == 0 ? 0 : plan.sumEnd[k - 1]; j < plan.sumEnd[k]; ++j)
                    addTerm(plan.sumTerms[j]);
            } else {  // Largest: as largestStageFlop, a stage's FLOP plus its recompute
                const std::vector<StageTerm>& terms =
                    plan.scopeTerms[static_cast<std::size_t>(l.scope)];
                for (std::size_t j = 0; j < terms.size(); ++j) {
                    newPoly();
                    addTerm(terms[j]);
                    if (j + 1 < terms.size() && terms[j + 1].recompute) addTerm(terms[++j]);
                }
            }
            f.end = polys_.size();
        }
    }

    /// At the other inputs' values in `s`: each poly's A and B.
    void at(const Sample& s) {
        for (std::size_t k = 0; k < ratio_.size(); ++k)
            ratio_[k] = k == n_ || k == d_ ? 1.0 : s.quantities[index_[k]] / medians_[k];
        for (Poly& p : polys_) {
            double a = p.base, b = 0;
            for (std::uint32_t j = p.termBegin; j < p.termEnd; ++j) {
                const Term& t = terms_[j];
                const double v = productOfRatios(ratio_.data(), t.c, t.exps);
                (t.pair ? b : a) += v;
            }
            p.a = a;
            p.b = b;
        }
    }

    /// Leaf u at the ends of Z and, when they differ, the mass of Z below its switch.
    void leaf(std::size_t u, char& low, char& high, double& below) const {
        const Leaf& f = leaf_[u];
        const double xl = x(f, zLow_), xh = x(f, zHigh_);
        low = compareDouble(f.reading, xl, f.t) ? 1 : 0;
        high = compareDouble(f.reading, xh, f.t) ? 1 : 0;
        below = 0;
        if (low == high) return;
        // The first stage to reach t (a sum: its one poly).
        double z = zHigh_;
        for (std::size_t i = f.begin; i < f.end; ++i) {
            const Poly& p = polys_[i];
            if (p.b > 0) z = std::min(z, (f.t - p.a) / p.b);
        }
        below = productCdf(lawN_, lawD_, z * medN_ * medD_);
    }

private:
    struct Term {
        double c;
        std::uint32_t exps;
        bool pair;  // reads n and d (as n^1 d^1)
    };
    struct Poly {
        double base;
        std::uint32_t termBegin, termEnd;
        double a, b;  // at the current point: x = a + b Z
    };
    struct Leaf {
        Comparator reading = Comparator::Greater;
        double t = 0;
        std::size_t begin = 0, end = 0;  // polys_[begin, end): one for a sum
    };
    double x(const Leaf& f, double z) const {
        if (f.end - f.begin == 1) return polys_[f.begin].a + polys_[f.begin].b * z;
        double v = 0;
        for (std::size_t i = f.begin; i < f.end; ++i)
            v = std::max(v, polys_[i].a + polys_[i].b * z);
        return v;
    }

    std::size_t n_ = 0, d_ = 0;
    InputLaw lawN_, lawD_;
    double medN_ = 1, medD_ = 1, zLow_ = 0, zHigh_ = 0;
    std::vector<double> ratio_, medians_;
    std::vector<std::size_t> index_;
    std::vector<Term> terms_;
    std::vector<Poly> polys_;
    std::vector<Leaf> leaf_;
};

}  // namespace flopledger::inline v1::detail
