// Human descriptions of policies for `policies list|show` and the generated docs table.
#include <flopledger/policy_catalog.hpp>

#include "policy/metrics.hpp"

#include <sstream>

namespace flopledger::inline v1 {
namespace {

std::string phrase(Metric m) {
    return std::string(detail::metricInfo(m).phrase);
}

std::string valueText(const ThresholdSpec& t) {
    return t.valueText.empty() ? formatScientific(t.value, 3) : t.valueText;
}

std::string describe(const Condition& c, const CountingScope& policyScope, bool nested) {
    switch (c.op) {
        case Condition::Op::All:
        case Condition::Op::Any: {
            std::string out;
            for (std::size_t i = 0; i < c.children.size(); ++i) {
                if (i) out += c.op == Condition::Op::All ? " and " : " or ";
                out += describe(c.children[i], policyScope, true);
            }
            return nested && c.children.size() > 1 ? "(" + out + ")" : out;
        }
        case Condition::Op::Not:
            return "not " + (c.children.empty() ? std::string("?")
                                                : describe(c.children[0], policyScope, true));
        case Condition::Op::Leaf:
            break;
    }
    switch (c.metric) {
        case Metric::GeneratedModalities: {
            std::string out = "generates any of ";
            for (std::size_t i = 0; i < c.anyOf.size(); ++i)
                out += (i ? ", " : "") + std::string(toString(c.anyOf[i]));
            return out;
        }
        case Metric::Weights:
            return c.equals ? "open weights" : "closed weights";
        case Metric::Distilled:
            return c.equals ? "distilled (has a distillation-teacher stage)" : "not distilled";
        case Metric::SingleDatacenter:
            return c.equals ? "in a single datacenter" : "not in a single datacenter";
        case Metric::DeclaredFact:
            return std::string(c.equals ? "" : "not ") + "declared fact " + c.fact +
                   (c.label.empty() ? std::string() : " (" + c.label + ")");
        default:
            break;
    }
    std::string out = phrase(c.metric) + " " + std::string(toString(c.reading)) + " ";
    const ThresholdSpec& t = c.threshold;
    switch (t.kind) {
        case ThresholdKind::Constant:
            out += valueText(t) + " " + c.unit;
            break;
        case ThresholdKind::RelativeToParent:
            out += valueText(t) + " of the parent's training compute";
            if (t.fallbackIfSystemicRisk || t.fallbackOtherwise) {
                out += " (if unknown: " + valueText(t) + " x ";
                if (t.fallbackIfSystemicRisk)
                    out += formatScientific(*t.fallbackIfSystemicRisk, 3) +
                           " FLOP for a systemic-risk parent";
                if (t.fallbackIfSystemicRisk && t.fallbackOtherwise) out += ", ";
                if (t.fallbackOtherwise)
                    out += formatScientific(*t.fallbackOtherwise, 3) + " FLOP otherwise";
                out += ")";
            }
            break;
        case ThresholdKind::EffectiveCompute:
            out += valueText(t) + " effective FLOP at " + t.referenceDate.toString() +
                   ", physical threshold halving every " + formatScientific(t.halvingMonths, 3) +
                   " months";
            break;
        case ThresholdKind::FrontierRank:
            out += "the training compute of the model ranked " + std::to_string(t.rank) +
                   " among the registry's models released by the date";
            break;
    }
    if (c.comparator == Comparator::Unstated)
        out += " (comparator unstated, read as " + std::string(toString(c.reading)) + ")";
    if (c.scope && !(c.scope->include == policyScope.include &&
                     c.scope->publicSyntheticData == policyScope.publicSyntheticData &&
                     c.scope->recompute == policyScope.recompute))
        out += " [counting " + describeScope(*c.scope) + "]";
    return out;
}

std::string cell(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

bool usesScope(const Condition& c) {
    if (c.op != Condition::Op::Leaf) {
        for (const auto& ch : c.children)
            if (usesScope(ch)) return true;
        return false;
    }
    return !c.scope && detail::metricInfo(c.metric).scope == detail::MetricScope::Own;
}

}  // namespace

std::string describeScope(const CountingScope& scope) {
    std::string out;
    for (int k = 0; k < kStageKindCount; ++k) {
        if (!scope.include[static_cast<std::size_t>(k)]) continue;
        if (!out.empty()) out += ", ";
        out += toString(static_cast<StageKind>(k));
        if (static_cast<StageKind>(k) == StageKind::SyntheticData && !scope.publicSyntheticData)
            out += " (non-public only)";
    }
    if (out.empty()) out = "no stage";
    out += scope.recompute ? "; recomputation counted" : "; recomputation not counted";
    return out;
}

std::string describeConditions(const Policy& p) {
    std::string out;
    if (p.conditions) {
        if (p.clusterConditions) out += "model: ";
        out += describe(*p.conditions, p.scope, false);
        if (usesScope(*p.conditions)) out += " [counting " + describeScope(p.scope) + "]";
    }
    if (p.clusterConditions) {
        if (p.conditions) out += "; cluster: ";
        out += describe(*p.clusterConditions, p.scope, false);
    }
    return out;
}

std::string describeHistory(const Policy& p) {
    std::string out;
    for (const StatusEvent& e : p.history) {
        if (!out.empty()) out += "; ";
        out += e.date.toString() + " " + e.event;
    }
    return out;
}

std::string describePolicy(const Policy& p) {
    std::ostringstream o;
    o << p.id << ": " << p.title << "\n";
    o << "  jurisdiction: " << p.jurisdiction << "\n";
    o << "  instrument:   " << p.instrument.name;
    if (!p.instrument.article.empty()) o << ", " << p.instrument.article;
    o << "\n  kind:         " << toString(p.kind)
      << (p.illustrative ? " (illustrative, not law)" : "") << "\n  effect:       " << p.effect
      << "\n  verification: " << p.verification << "\n";
    o << "  verified on:  " << (p.verifiedOn ? p.verifiedOn->toString() : std::string("not stated"))
      << "\n";
    o << "  rule:         " << describeConditions(p) << "\n";
    if (!p.thresholdSource.empty()) o << "  thresholds:   " << p.thresholdSource << "\n";
    o << "  history:\n";
    for (const StatusEvent& e : p.history) {
        o << "    " << e.date.toString() << "  " << e.event << " -> " << toString(e.legalStatus)
          << (e.inForce ? " (applies)" : "");
        if (!e.note.empty()) o << ": " << e.note;
        if (!e.source.empty()) o << " [" << e.source << "]";
        o << "\n";
    }
    if (!p.duties.empty()) {
        o << "  duties:\n";
        for (const Duty& d : p.duties) {
            o << "    - " << d.duty;
            if (!d.deadline.empty()) o << " (" << d.deadline << ")";
            if (!d.recipient.empty()) o << " -> " << d.recipient;
            o << "\n";
        }
    }
    if (!p.readings.empty()) {
        o << "  readings:\n";
        for (const std::string& r : p.readings) o << "    - " << r << "\n";
    }
    if (!p.alternatives.empty()) {
        o << "  contested readings (shown by sensitivity as choice \"reading\"):\n";
        for (const AlternativeReading& a : p.alternatives)
            o << "    - " << a.id << ": " << a.reading << "\n";
    }
    if (!p.notes.empty()) o << "  notes: " << p.notes << "\n";
    o << "  sources:\n";
    for (const Citation& c : p.citations) o << "    - " << c.what << " <" << c.url << ">\n";
    return o.str();
}

std::string policyTableMarkdown(const PolicyCatalog& catalog) {
    std::string out =
        "| id | jurisdiction | instrument | rule | effect | status history | verification | "
        "verified on |\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (const Policy& p : catalog.all()) {
        std::string instrument = p.instrument.name;
        if (!p.instrument.article.empty()) instrument += ", " + p.instrument.article;
        std::string id = "`" + p.id + "`";
        if (p.illustrative) id += " (illustrative)";
        out += "| " + cell(id) + " | " + cell(p.jurisdiction) + " | " + cell(instrument) + " | " +
               cell(describeConditions(p)) + " | " + cell(p.effect) + " | " +
               cell(describeHistory(p)) + " | " + cell(p.verification) + " | " +
               (p.verifiedOn ? p.verifiedOn->toString() : std::string("-")) + " |\n";
    }
    // Where every threshold and date comes from, primary or secondary (the files' own words).
    out += "\n### Sources of thresholds and dates\n\n";
    for (const Policy& p : catalog.all()) {
        out += "- `" + p.id + "`: thresholds: " +
               (p.thresholdSource.empty() ? std::string("not stated") : p.thresholdSource) + "\n";
        for (const StatusEvent& e : p.history)
            out += "  - " + e.date.toString() + " " + e.event + ": " +
                   (e.source.empty() ? std::string("not stated") : e.source) + "\n";
        for (const AlternativeReading& a : p.alternatives)
            out += "  - contested reading `" + a.id + "` (shown by `sensitivity`): " + a.reading +
                   "\n";
    }
    return out;
}

}  // namespace flopledger
