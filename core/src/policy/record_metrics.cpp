// The per-leaf pieces of a verdict: metric values, exact comparison with the threshold,
// missing inputs and the primary leaf's fields (evaluator_detail.hpp).
#include "policy/evaluator_detail.hpp"

#include "base/exact_fast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace flopledger::inline v1::detail {

void addUnique(std::vector<std::string>& out, const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

bool positive(const Exact& x) {
    return signOf(x) > 0;
}

// log10 through a double when the value is a whole number a double holds (all FLOP counts);
// log10Exact otherwise.
double fastLog10(const Exact& x) {
    if (isWhole(x)) {
        const auto& n = numeratorOf(x);
        if (msb(n) < 1000) return std::log10(n.convert_to<double>());
    }
    return log10Exact(x);
}

void quantityMetric(Metered& m, const std::optional<Quantity>& q, const char* path) {
    if (q)
        m.ref = &q->value;
    else
        m.missingInput = path;
}

void addMissing(std::vector<std::string>& out, const Metered& m) {
    for (const auto& s : m.missing) addUnique(out, s);
    if (m.missingInput && std::find(out.begin(), out.end(), m.missingInput) == out.end())
        out.emplace_back(m.missingInput);
}

Tri compareLeaf(const Condition& c, const Metered& m, const ThresholdValue& t,
                const ThresholdSpec& spec) {
    const Interval* mv = m.value();
    const Interval* tv = t.value();
    if (!mv || (!tv && !t.effective)) return Tri::Unknown;
    const Interval& v = *mv;
    auto cmpLowEnd = [&](const Exact& x) {  // sign of x - lowest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : detail::compareExact(x, tv->low);
    };
    auto cmpHighEnd = [&](const Exact& x) {  // sign of x - highest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : detail::compareExact(x, tv->high);
    };
    const bool unb = m.unboundedHigh;
    Tri undecided = unb ? Tri::Unknown : Tri::Indet;
    switch (c.reading) {
        case Comparator::Greater:
            if (cmpHighEnd(v.low) > 0) return Tri::True;
            if (!unb && cmpLowEnd(v.high) <= 0) return Tri::False;
            return undecided;
        case Comparator::GreaterEqual:
        case Comparator::Unstated:
            if (cmpHighEnd(v.low) >= 0) return Tri::True;
            if (!unb && cmpLowEnd(v.high) < 0) return Tri::False;
            return undecided;
        case Comparator::Less:
            if (!unb && cmpLowEnd(v.high) < 0) return Tri::True;
            if (cmpHighEnd(v.low) >= 0) return Tri::False;
            return undecided;
        case Comparator::LessEqual:
            if (!unb && cmpLowEnd(v.high) <= 0) return Tri::True;
            if (cmpHighEnd(v.low) > 0) return Tri::False;
            return undecided;
    }
    return Tri::Unknown;
}

const double& log10Central(const Metered& m) {
    if (!m.log10Central) m.log10Central = fastLog10(m.value()->central);
    return *m.log10Central;
}

namespace {

// to = x into to's storage: a pooled verdict's values are overwritten, not destroyed and built
// again (a whole number of at most 128 bits is set from its limbs).
[[gnu::always_inline]] inline void assignExact(Exact& to, const Exact& x) {
    U128 w = 0;
    if (wholeU128(x, w))
        setWhole(to, w);
    else
        to = x;
}

void assignInterval(std::optional<Interval>& to, const Interval& x) {
    if (!to) {
        to.emplace(detail::IntervalCopy::of(x));
        return;
    }
    assignExact(to->low, x.low);
    assignExact(to->central, x.central);
    assignExact(to->high, x.high);
}

// A threshold: usually the constant the pooled verdict already holds (same policy, previous
// record), then left as it is.
void assignThreshold(std::optional<Exact>& to, const Exact& x) {
    if (to) {
        if (!sameExact(*to, x)) assignExact(*to, x);
    } else
        to.emplace(x);
}

}  // namespace

double RecordLogs::of(const Interval& value) {
    for (std::size_t k = 0; k < used; ++k)
        if (entries[k].first == &value) return entries[k].second;
    const double log = fastLog10(value.central);
    if (used < entries.size()) entries[used++] = {&value, log};
    return log;
}

void fillPrimary(Verdict& v, const CompiledTree& tree, const LeafOutcome* outcomes,
                 RecordLogs* logs, bool samePolicy) {
    if (tree.primary < 0) {
        v.countedFlop.reset();  // (a pooled verdict's, resetVerdict)
        v.threshold.reset();
        v.comparator.clear();
        return;
    }
    const Node& n = tree.nodes[static_cast<std::size_t>(tree.primary)];
    const LeafOutcome& o = outcomes[tree.primary];
    // This policy's pooled verdict holds this leaf's comparator already (resetVerdict keeps it).
    if (!samePolicy) v.comparator = n.comparatorText;
    const Metered& m = o.metric();
    const Interval* mv = m.value();
    const Interval* tv = o.threshold.value();
    if (kFastPaths && mv && v.countedFlop) {
        // The value's ends read once per record (shared by every verdict counting this metric),
        // then written into the pooled verdict's storage.
        if (m.wholeRead < 0)
            m.wholeRead = wholeU128(mv->low, m.whole[0]) && wholeU128(mv->central, m.whole[1]) &&
                                  wholeU128(mv->high, m.whole[2])
                              ? 1
                              : 0;
        if (m.wholeRead == 1) {
            setWhole(v.countedFlop->low, m.whole[0]);
            setWhole(v.countedFlop->central, m.whole[1]);
            setWhole(v.countedFlop->high, m.whole[2]);
        } else {
            assignInterval(v.countedFlop, *mv);
        }
    } else if (mv) {
        assignInterval(v.countedFlop, *mv);
    } else {
        v.countedFlop.reset();
    }
    if (mv && m.unboundedHigh)
        v.notes.push_back("counted value is a lower bound: an input it sums is missing");
    U128 held = 0;
    if (kFastPaths && tv == &n.constPoint && n.constWhole && v.threshold) {
        // The compiled constant: usually the one this pooled verdict holds already.
        if (!wholeU128(*v.threshold, held) || held != n.constU128)
            setWhole(*v.threshold, n.constU128);
    } else if (tv) {
        assignThreshold(v.threshold, tv->central);
    } else {
        v.threshold.reset();
    }
    // The logs are cached per record (counted: per value, whichever scopes share it) and per
    // compiled leaf (constant thresholds): the same fastLog10 values, computed once.
    if (mv && tv && positive(mv->central) && positive(tv->central) && !m.unboundedHigh) {
        if (logs && !m.log10Central) m.log10Central = logs->of(*mv);
        v.marginLog10 =
            log10Central(m) - (tv == &n.constPoint ? n.constLog10 : fastLog10(tv->central));
    }
}

}  // namespace flopledger::inline v1::detail
