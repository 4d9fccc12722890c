// Declared facts (contract 7.5): qualitative legal criteria a record states in "facts" and a
// policy leaf tests by id. An undeclared fact is never assumed: the leaf is unknown and the
// verdict lists "facts.ID" in `missing`, with the criterion in words in its notes.
#include "policy/facts.hpp"

#include <flopledger/diagnostic.hpp>

#include <algorithm>
#include <functional>
#include <map>

namespace flopledger::inline v1 {

std::optional<bool> ModelRecord::fact(std::string_view factId) const {
    for (const DeclaredFact& f : facts)
        if (f.id == factId) return f.value;
    return std::nullopt;
}

namespace detail {

std::string factPath(const Condition& c) {
    return "facts." + c.fact;
}

std::string undeclaredFactNote(const Condition& c) {
    std::string s = "undeclared fact " + c.fact;
    if (!c.label.empty()) s += " (" + c.label + ")";
    return s + ": not assumed; declare it in the record's \"facts\" as true or false";
}

std::string factCriterion(const Condition& c) {
    const std::string what = c.label.empty() ? "fact " + c.fact : c.label;
    return c.equals ? what : "not: " + what;
}

std::string unknownFactsNote(const ModelRecord& record, const std::vector<std::string>& known) {
    std::string out;
    std::vector<std::string_view> views(known.begin(), known.end());
    for (const DeclaredFact& f : record.facts) {
        if (std::binary_search(known.begin(), known.end(), f.id)) continue;
        out += out.empty() ? "the record declares facts no evaluated policy tests: " : ", ";
        out += f.id;
        const std::string guess = didYouMean(f.id, views);
        if (!guess.empty()) out += " (did you mean " + guess + "?)";
    }
    return out;
}

}  // namespace detail

namespace {

void collectFacts(const Condition& c, std::map<std::string, std::string>& out) {
    if (c.op == Condition::Op::Leaf) {
        if (c.metric == Metric::DeclaredFact) {
            std::string& label = out[c.fact];
            if (label.empty()) label = c.label;
        }
        return;
    }
    for (const Condition& child : c.children) collectFacts(child, out);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> declaredFactIds(
    const std::vector<const Policy*>& policies) {
    std::map<std::string, std::string> ids;
    for (const Policy* p : policies) {
        if (p->conditions) collectFacts(*p->conditions, ids);
        for (const AlternativeReading& a : p->alternatives)
            if (a.conditions) collectFacts(*a.conditions, ids);
    }
    return {ids.begin(), ids.end()};
}

}  // namespace flopledger
