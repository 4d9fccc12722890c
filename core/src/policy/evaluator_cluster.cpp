// The verdicts of cluster records: peak operations per second, network bandwidth and a single
// datacenter, decided exactly; indeterminate verdicts get a probability from their own draws.
#include <flopledger/policy.hpp>

#include "estimate/sampling.hpp"
#include "policy/evaluator_detail.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace flopledger::inline v1 {

using namespace detail;  // NOLINT(google-build-using-namespace): the evaluator's own pieces

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
            Xoshiro256 rng(impl.options.monteCarlo.seed ^ fnv1a(record.id));
            long hits = 0;
            const int n = std::max(1, impl.options.monteCarlo.samples);
            for (int i = 0; i < n; ++i) {
                const double peak =
                    record.peakFlopPerS ? sampleQuantity(*record.peakFlopPerS, rng) : 0;
                const double count = record.count ? sampleQuantity(*record.count, rng) : 0;
                const double net =
                    record.networkGbitS ? sampleQuantity(*record.networkGbitS, rng) : 0;
                std::function<Tri(int)> eval = [&](int k) -> Tri {
                    const Node& nd = cp.cluster->nodes[static_cast<std::size_t>(k)];
                    const Condition& c = *nd.cond;
                    if (c.op != Condition::Op::Leaf) {
                        std::vector<Tri> parts;
                        for (int ch : nd.children) parts.push_back(eval(ch));
                        return combine(c.op, parts.data(), static_cast<int>(parts.size()));
                    }
                    const LeafOutcome& o = outcomes[static_cast<std::size_t>(k)];
                    if (o.tri != Tri::Indet) return o.tri;
                    double x = c.metric == Metric::ClusterPeak ? peak : net;
                    if (c.metric == Metric::ClusterPeak && !record.peakFlopPerS) {
                        Metered m;
                        double chip = 0;
                        peakOf(c, m, &chip);
                        x = count * chip;
                    }
                    return compareDouble(c.reading, x, toDouble(c.threshold.value)) ? Tri::True
                                                                                    : Tri::False;
                };
                if (eval(0) == Tri::True) ++hits;
            }
            v.probability = static_cast<double>(hits) / n;
            v.notes.push_back("probability from " + std::to_string(n) +
                              " seeded Monte Carlo draws");
        }
    }
    if (!impl.request.texts)
        for (Verdict& v : verdicts) v.notes.clear();  // the rare per-record notes too
    return verdicts;
}

}  // namespace flopledger
