#pragma once
// Three-valued logic of policy conditions: a leaf is true, false, indeterminate (the interval
// straddles the threshold) or unknown (an input is missing); all/any/not combine them.
#include <flopledger/policy.hpp>

namespace flopledger::inline v1::detail {

enum class Tri { False, True, Indet, Unknown };

// The parts of an all/any/not node as they are seen, combined in three-valued logic (a missing
// input makes "all" unknown unless a part is false, and so on).
struct TriParts {
    bool hasTrue = false, hasFalse = false, hasUnknown = false, hasIndet = false;
    int count = 0;
    Tri first = Tri::Unknown;

    void add(Tri t) {
        if (count++ == 0) first = t;
        hasTrue = hasTrue || t == Tri::True;
        hasFalse = hasFalse || t == Tri::False;
        hasUnknown = hasUnknown || t == Tri::Unknown;
        hasIndet = hasIndet || t == Tri::Indet;
    }
    Tri combine(Condition::Op op) const {
        switch (op) {
            case Condition::Op::All:
                if (hasFalse) return Tri::False;
                if (hasUnknown) return Tri::Unknown;
                if (hasIndet) return Tri::Indet;
                return Tri::True;
            case Condition::Op::Any:
                if (hasTrue) return Tri::True;
                if (hasUnknown) return Tri::Unknown;
                if (hasIndet) return Tri::Indet;
                return Tri::False;
            case Condition::Op::Not:
                if (count == 0) return Tri::Unknown;
                if (first == Tri::True) return Tri::False;
                if (first == Tri::False) return Tri::True;
                return first;
            case Condition::Op::Leaf:
                break;
        }
        return Tri::Unknown;
    }
};

inline Tri combine(Condition::Op op, const Tri* parts, int count) {
    TriParts seen;
    for (int j = 0; j < count; ++j) seen.add(parts[j]);
    return seen.combine(op);
}

inline VerdictStatus toStatus(Tri t) {
    switch (t) {
        case Tri::True:
            return VerdictStatus::Exceeds;
        case Tri::False:
            return VerdictStatus::Below;
        case Tri::Indet:
            return VerdictStatus::Indeterminate;
        case Tri::Unknown:
            return VerdictStatus::Unknown;
    }
    return VerdictStatus::Unknown;
}

}  // namespace flopledger::detail
