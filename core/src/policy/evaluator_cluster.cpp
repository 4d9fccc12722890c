// The verdicts of cluster records: peak operations per second, network bandwidth and a single
// datacenter, decided exactly; indeterminate verdicts get a probability from their own draws.
#include <flopledger/policy.hpp>

#include "base/exact_fast.hpp"
#include "estimate/sampling.hpp"
#include "policy/evaluator_detail.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace flopledger::inline v1 {

using namespace detail;  // NOLINT(google-build-using-namespace): the evaluator's own pieces

namespace {

struct ClusterDraw {
    double peak, count, net;
};

// The n draws of a cluster's inputs: per draw peak, count, network, each drawing a random
// number only when uncertain (sampleQuantity's order and formulas).
void drawCluster(const ClusterRecord& record, const MonteCarloOptions& mc, int n,
                 std::vector<ClusterDraw>& out) {
    Xoshiro256 rng(mc.seed ^ fnv1a(record.id));
    const std::optional<QuantitySampler> peak =
        record.peakFlopPerS ? std::optional<QuantitySampler>(*record.peakFlopPerS) : std::nullopt;
    const std::optional<QuantitySampler> count =
        record.count ? std::optional<QuantitySampler>(*record.count) : std::nullopt;
    const std::optional<QuantitySampler> net =
        record.networkGbitS ? std::optional<QuantitySampler>(*record.networkGbitS) : std::nullopt;
    out.resize(static_cast<std::size_t>(n));
    for (ClusterDraw& d : out) {
        d.peak = peak ? peak->next(rng) : 0;
        d.count = count ? count->next(rng) : 0;
        d.net = net ? net->next(rng) : 0;
    }
}

void appendPostOrder(const CompiledTree& tree, int k, std::vector<int>& out) {
    for (int c : tree.nodes[static_cast<std::size_t>(k)].children) appendPostOrder(tree, c, out);
    out.push_back(k);
}

// The draws in which the tree holds: decided leaves keep their outcome, the others compare the
// draw's peak (stated, or count x chip[k]) or network with the threshold. Every child of a
// combination is evaluated, then combined, as a recursive walk would.
long clusterHits(const CompiledTree& tree, const std::vector<LeafOutcome>& outcomes,
                 const std::vector<double>& chip, bool statedPeak,
                 const std::vector<ClusterDraw>& draws) {
    std::vector<int> order;
    appendPostOrder(tree, 0, order);
    std::vector<double> threshold(tree.nodes.size(), 0.0);
    for (int k : order) {
        const Condition& c = *tree.nodes[static_cast<std::size_t>(k)].cond;
        if (c.op == Condition::Op::Leaf)
            threshold[static_cast<std::size_t>(k)] = toDouble(c.threshold.value);
    }
    std::vector<Tri> stack(order.size() + 1);
    long hits = 0;
    for (const ClusterDraw& d : draws) {
        Tri* top = stack.data();
        for (int k : order) {
            const auto i = static_cast<std::size_t>(k);
            const Node& nd = tree.nodes[i];
            const Condition& c = *nd.cond;
            if (c.op != Condition::Op::Leaf) {
                const int count = static_cast<int>(nd.children.size());
                top -= count;
                *top = combine(c.op, top, count);
                ++top;
                continue;
            }
            if (outcomes[i].tri != Tri::Indet) {
                *top++ = outcomes[i].tri;
                continue;
            }
            double x = c.metric == Metric::ClusterPeak ? d.peak : d.net;
            if (c.metric == Metric::ClusterPeak && !statedPeak) x = d.count * chip[i];
            *top++ = compareDouble(c.reading, x, threshold[i]) ? Tri::True : Tri::False;
        }
        if (stack[0] == Tri::True) ++hits;
    }
    return hits;
}

}  // namespace

std::vector<Verdict> PolicyEvaluator::evaluate(const ClusterRecord& record,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    std::vector<Verdict> verdicts;
    verdicts.reserve(impl.compiled.size());

    // Peak ops/s: stated, else count x the accelerator's dense peak (highest precision unless the
    // leaf names one). Sparsity figures are never used.
    auto peakOf = [&](const Condition& c, Metered& m, double* perChip) {
        if (record.peakFlopPerS) {
            m.ref = &record.peakFlopPerS->value;
            return;
        }
        const Accelerator* acc =
            record.accelerator.empty() ? nullptr : impl.hardware().find(record.accelerator);
        if (!acc)
            m.missing.push_back(record.accelerator.empty()
                                    ? "accelerator"
                                    : "peak_flop_per_s (accelerator not in the hardware table)");
        if (!record.count) m.missing.push_back("count");
        if (!acc || !record.count) return;
        std::optional<Exact> chip;
        for (int p = 0; p < kPrecisionCount; ++p) {
            if (c.peakPrecision && static_cast<int>(*c.peakPrecision) != p) continue;
            if (const PeakFigure* f = acc->peak(static_cast<Precision>(p)))
                if (!chip || f->dense > *chip) chip = f->dense;
        }
        if (!chip) {
            m.missing.push_back("peak_flop_per_s (no dense peak for the precision)");
            return;
        }
        if (perChip) *perChip = toDouble(*chip);
        m.owned.emplace(record.count->value * *chip);
    };

    const std::vector<PolicyDay>& days = impl.statesOn(asOf);
    std::vector<ClusterDraw> draws;
    for (std::size_t pi = 0; pi < impl.compiled.size(); ++pi) {
        const CompiledPolicy& cp = impl.compiled[pi];
        if (!cp.cluster) continue;
        Verdict& v = verdicts.emplace_back();
        fillState(v, cp, asOf, days[pi], impl.request.texts);
        auto leafFn = [&](const Node& n, LeafOutcome& o) {
            const Condition& c = *n.cond;
            switch (c.metric) {
                case Metric::ClusterPeak:
                    peakOf(c, o.own, nullptr);
                    break;
                case Metric::ClusterNetwork:
                    quantityMetric(o.own, record.networkGbitS, "network_gbit_s");
                    break;
                case Metric::SingleDatacenter:
                    if (!record.singleDatacenter) {
                        o.own.missing.push_back("single_datacenter");
                        o.tri = Tri::Unknown;
                    } else {
                        o.tri = *record.singleDatacenter == c.equals ? Tri::True : Tri::False;
                    }
                    return;
                default:
                    o.tri = Tri::Unknown;
                    return;
            }
            o.threshold.ref = &n.constPoint;
            o.tri = compareLeaf(c, o.own, o.threshold, c.threshold);
        };
        std::vector<LeafOutcome> outcomes(cp.cluster->nodes.size());
        const Tri result = evalTree(*cp.cluster, outcomes.data(), 0, leafFn);
        v.status = toStatus(result);
        fillPrimary(v, *cp.cluster, outcomes.data());
        v.notes.push_back(
            "counted_flop and threshold are the cluster's peak in operations per second");
        for (const LeafOutcome& o : outcomes)
            if (result == Tri::Unknown && o.tri == Tri::Unknown) addMissing(v.missing, o.metric());
        if (result == Tri::True) v.probability = 1.0;
        if (result == Tri::False) v.probability = 0.0;
        if (result == Tri::Indet && impl.request.probabilities) {
            // Clusters have few inputs: sample them here, with the records' generator and
            // distributions (estimate/sampling.hpp), so the probability is the same everywhere.
            // Every verdict draws the same sequence (the record's seed): drawn once per record
            // (OFF: per verdict).
            const int n = std::max(1, impl.options.monteCarlo.samples);
            if (draws.empty() || !kFastPaths)
                drawCluster(record, impl.options.monteCarlo, n, draws);
            std::vector<double> chip(cp.cluster->nodes.size(), 0.0);
            for (std::size_t k = 0; k < chip.size(); ++k) {
                const Node& nd = cp.cluster->nodes[k];
                if (nd.cond->op == Condition::Op::Leaf && outcomes[k].tri == Tri::Indet &&
                    nd.cond->metric == Metric::ClusterPeak && !record.peakFlopPerS) {
                    Metered m;
                    peakOf(*nd.cond, m, &chip[k]);
                }
            }
            const long hits =
                clusterHits(*cp.cluster, outcomes, chip, record.peakFlopPerS.has_value(), draws);
            v.probability = static_cast<double>(hits) / n;
            v.notes.push_back("probability from " + std::to_string(n) +
                              " seeded Monte Carlo draws");
        }
    }
    if (!impl.request.texts)
        for (Verdict& v : verdicts) v.notes.clear();  // the rare per-record notes too
    return verdicts;
}

}  // namespace flopledger::inline v1
