// Reading and validating policy files (docs/policy-format.md) and the policy catalog.
#include <flopledger/policy.hpp>
#include <flopledger/policy_catalog.hpp>

#include "io/embedded_data.hpp"
#include "io/policy_json.hpp"
#include "policy/effective_threshold.hpp"
#include "policy/metrics.hpp"
#include "policy/policy_names.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
namespace flopledger::inline v1 {
namespace {

using detail::JsonNode;
using detail::kLegalStatuses;
using detail::names;

struct EventRule {
    std::string_view name;
    std::optional<LegalStatus> status;  // nullopt: keeps the previous standing
    std::optional<bool> inForce;        // nullopt: keeps the previous value
};

// Default consequences of each event; a file may override both per event.
constexpr std::array<EventRule, 19> kEvents = {{
    {"introduced", LegalStatus::Proposed, false},
    {"proposed", LegalStatus::Proposed, false},
    {"passed", LegalStatus::Proposed, false},
    {"signed", LegalStatus::NotYetInForce, false},
    {"enacted", LegalStatus::NotYetInForce, false},
    {"published", LegalStatus::NotYetInForce, false},
    {"entered-into-force", LegalStatus::InForce, true},
    {"in-force", LegalStatus::InForce, true},
    {"applies-from", LegalStatus::InForce, true},
    {"effective", LegalStatus::InForce, true},
    {"guidance-issued", LegalStatus::Guidance, true},
    {"voluntary", LegalStatus::Voluntary, true},
    {"vetoed", LegalStatus::Vetoed, false},
    {"revoked", LegalStatus::Revoked, false},
    {"rescinded", LegalStatus::Rescinded, false},
    {"superseded", LegalStatus::Superseded, false},
    {"amended", std::nullopt, std::nullopt},
    {"withdrawn", LegalStatus::Proposed, false},
    {"noted", std::nullopt, std::nullopt},  // a dated fact (e.g. a decision) changing neither
}};

class PolicyParser {
public:
    PolicyParser(std::string file) : file_(std::move(file)) {}

    std::vector<Diagnostic> errors;

    Policy parse(const JsonNode& root) {
        Policy p;
        p.file = file_;
        if (!root.isObject()) {
            error(root, ErrorCode::PolicyInvalid, "a policy file holds one JSON object");
            return p;
        }
        fields(root, {"format",
                      "id",
                      "title",
                      "jurisdiction",
                      "instrument",
                      "citations",
                      "verification",
                      "kind",
                      "effect",
                      "illustrative",
                      "status_history",
                      "scope",
                      "conditions",
                      "cluster_conditions",
                      "duties",
                      "readings",
                      "notes",
                      "verified_on",
                      "threshold_source",
                      "alternative_readings"});
        if (const JsonNode* f = root.get("format")) {
            if (!f->isString() || f->text != "flopledger-policy/1")
                error(*f, ErrorCode::PolicyInvalid, "format must be \"flopledger-policy/1\"");
        }
        p.id = requiredString(root, "id");
        if (!p.id.empty() && !validId(p.id))
            error(*root.get("id"), ErrorCode::BadId,
                  "policy id \"" + p.id + "\" must match [a-z0-9][a-z0-9._-]*");
        p.title = requiredString(root, "title");
        p.jurisdiction = requiredString(root, "jurisdiction");
        if (const JsonNode* in = member(root, "instrument", JsonNode::Type::Object, true)) {
            fields(*in, {"name", "article", "type"});
            p.instrument.name = requiredString(*in, "name");
            p.instrument.article = optionalString(*in, "article");
            p.instrument.type = optionalString(*in, "type");
        }
        if (const JsonNode* cs = member(root, "citations", JsonNode::Type::Array, true)) {
            if (cs->items.empty())
                error(*cs, ErrorCode::PolicyInvalid, "at least one citation is required");
            for (const JsonNode& c : cs->items) {
                if (!expect(c, JsonNode::Type::Object)) continue;
                fields(c, {"what", "url"});
                p.citations.push_back({requiredString(c, "what"), requiredString(c, "url")});
            }
        }
        p.verification = requiredString(root, "verification");
        oneOf(root.get("verification"), p.verification, {"verified", "secondary", "unverified"});
        const std::string kind = requiredString(root, "kind");
        if (kind == "model")
            p.kind = PolicyKind::Model;
        else if (kind == "cluster")
            p.kind = PolicyKind::Cluster;
        else if (kind == "model-and-cluster")
            p.kind = PolicyKind::ModelAndCluster;
        else if (!kind.empty())
            oneOf(root.get("kind"), kind, {"model", "cluster", "model-and-cluster"});
        p.effect = requiredString(root, "effect");
        oneOf(root.get("effect"), p.effect,
              {"presumption", "definition", "indicative-criterion", "reporting-trigger",
               "licence-requirement", "illustrative"});
        if (const JsonNode* il = member(root, "illustrative", JsonNode::Type::Bool, false))
            p.illustrative = il->boolean;
        parseHistory(root, p);
        const bool models = p.kind != PolicyKind::Cluster;
        if (models) {
            if (const JsonNode* s = member(root, "scope", JsonNode::Type::Object, true))
                p.scope = parseScope(*s);
        } else if (const JsonNode* s = root.get("scope")) {
            error(*s, ErrorCode::PolicyInvalid, "a cluster policy has no counting scope");
        }
        if (const JsonNode* c = member(root, "conditions", JsonNode::Type::Object, true))
            p.conditions = parseCondition(*c, models, 0);
        if (p.kind == PolicyKind::ModelAndCluster) {
            if (const JsonNode* c =
                    member(root, "cluster_conditions", JsonNode::Type::Object, true))
                p.clusterConditions = parseCondition(*c, false, 0);
        } else if (const JsonNode* c = root.get("cluster_conditions")) {
            error(*c, ErrorCode::PolicyInvalid,
                  "cluster_conditions is only for kind \"model-and-cluster\"");
        }
        if (p.kind == PolicyKind::Cluster) {
            p.clusterConditions = std::move(p.conditions);
            p.conditions.reset();
        }
        if (const JsonNode* ds = member(root, "duties", JsonNode::Type::Array, false)) {
            for (const JsonNode& d : ds->items) {
                if (!expect(d, JsonNode::Type::Object)) continue;
                fields(d, {"duty", "deadline", "recipient"});
                p.duties.push_back({requiredString(d, "duty"), optionalString(d, "deadline"),
                                    optionalString(d, "recipient")});
            }
        }
        if (const JsonNode* rs = member(root, "readings", JsonNode::Type::Array, false)) {
            for (const JsonNode& r : rs->items)
                if (expect(r, JsonNode::Type::String)) p.readings.push_back(r.text);
        }
        p.notes = optionalString(root, "notes");
        parseProvenance(root, p, models);
        if (p.illustrative != (p.effect == "illustrative"))
            error(root, ErrorCode::PolicyInvalid,
                  "\"illustrative\": true and \"effect\": \"illustrative\" go together");
        return p;
    }

private:
    static bool validId(const std::string& id) {
        auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
        if (!ok(id[0])) return false;
        return std::all_of(id.begin(), id.end(),
                           [&](char c) { return ok(c) || c == '.' || c == '_' || c == '-'; });
    }

    void error(const JsonNode& at, ErrorCode code, std::string message) {
        errors.push_back(
            Diagnostic{Severity::Error, code, file_, at.line, at.pointer, std::move(message)});
    }

    void fields(const JsonNode& obj, std::vector<std::string_view> allowed) {
        for (const auto& [key, value] : obj.members) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string msg = "unknown field \"" + key + "\"";
            const std::string guess = didYouMean(key, allowed);
            if (!guess.empty()) msg += "; did you mean \"" + guess + "\"?";
            error(value, ErrorCode::PolicyInvalid, msg);
        }
    }

    bool expect(const JsonNode& n, JsonNode::Type t) {
        if (n.type == t) return true;
        error(n, ErrorCode::PolicyInvalid,
              "expected " + std::string(detail::typeName(t)) + ", found " +
                  std::string(detail::typeName(n.type)));
        return false;
    }

    const JsonNode* member(const JsonNode& obj, std::string_view key, JsonNode::Type t,
                           bool required) {
        const JsonNode* n = obj.get(key);
        if (!n) {
            if (required)
                error(obj, ErrorCode::PolicyInvalid,
                      "missing required field \"" + std::string(key) + "\"");
            return nullptr;
        }
        return expect(*n, t) ? n : nullptr;
    }

    std::string requiredString(const JsonNode& obj, std::string_view key) {
        const JsonNode* n = member(obj, key, JsonNode::Type::String, true);
        if (n && n->text.empty()) error(*n, ErrorCode::PolicyInvalid, "must not be empty");
        return n ? n->text : std::string();
    }

    std::string optionalString(const JsonNode& obj, std::string_view key) {
        const JsonNode* n = member(obj, key, JsonNode::Type::String, false);
        return n ? n->text : std::string();
    }

    void oneOf(const JsonNode* at, const std::string& value,
               std::vector<std::string_view> allowed) {
        if (!at || value.empty()) return;
        if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
        std::string msg = "\"" + value + "\" is not one of";
        for (auto a : allowed) msg += " \"" + std::string(a) + "\"";
        const std::string guess = didYouMean(value, allowed);
        if (!guess.empty()) msg += "; did you mean \"" + guess + "\"?";
        error(*at, ErrorCode::BadEnum, msg);
    }

    // Exact number from a JSON number (its text) or a string; "a/b" fractions are accepted.
    std::optional<Exact> number(const JsonNode& n, bool positive = true) {
        if (!n.isNumber() && !n.isString()) {
            error(n, ErrorCode::PolicyInvalid,
                  "expected a number or a numeric string, found " +
                      std::string(detail::typeName(n.type)));
            return std::nullopt;
        }
        try {
            Exact v;
            const auto slash = n.isString() ? n.text.find('/') : std::string::npos;
            if (slash != std::string::npos) {
                const Exact den = parseExact(n.text.substr(slash + 1));
                if (den == 0) throw InputError(ErrorCode::NumberZero, "zero denominator");
                v = parseExact(n.text.substr(0, slash)) / den;
            } else {
                v = parseExact(n.text);
            }
            if (positive && v <= 0) {
                error(n, ErrorCode::NumberOutOfRange, "must be greater than 0");
                return std::nullopt;
            }
            return v;
        } catch (const InputError& e) {
            error(n, e.diagnostic().code, e.diagnostic().message);
            return std::nullopt;
        }
    }

    std::optional<Date> date(const JsonNode& n) {
        if (!expect(n, JsonNode::Type::String)) return std::nullopt;
        auto d = Date::parse(n.text);
        if (!d)
            error(n, ErrorCode::BadDate,
                  "\"" + n.text + "\" is not a YYYY, YYYY-MM or YYYY-MM-DD date");
        return d;
    }

    void parseHistory(const JsonNode& root, Policy& p) {
        const JsonNode* hs = member(root, "status_history", JsonNode::Type::Array, true);
        if (!hs) return;
        if (hs->items.empty())
            error(*hs, ErrorCode::PolicyInvalid, "at least one event is required");
        LegalStatus status = LegalStatus::Proposed;  // the standing before the first event
        bool inForce = false;
        std::vector<std::string_view> eventNames;
        for (const auto& e : kEvents) eventNames.push_back(e.name);
        for (const JsonNode& e : hs->items) {
            if (!expect(e, JsonNode::Type::Object)) continue;
            fields(e, {"date", "event", "legal_status", "in_force", "note", "source"});
            StatusEvent ev;
            const JsonNode* dn = member(e, "date", JsonNode::Type::String, true);
            if (dn) {
                if (auto d = date(*dn)) ev.date = *d;
            }
            ev.event = requiredString(e, "event");
            const EventRule* rule = nullptr;
            for (const auto& r : kEvents)
                if (r.name == ev.event) rule = &r;
            if (!rule) {
                oneOf(e.get("event"), ev.event, eventNames);
                continue;
            }
            if (rule->status) {
                // Coming into force keeps a guidance or voluntary standing (it applies, but is not
                // law).
                const bool keep =
                    rule->inForce.value_or(false) &&
                    (status == LegalStatus::Guidance || status == LegalStatus::Voluntary);
                if (!keep) status = *rule->status;
            }
            if (rule->inForce) inForce = *rule->inForce;
            if (const JsonNode* ls = member(e, "legal_status", JsonNode::Type::String, false)) {
                if (auto s = parseLegalStatus(ls->text))
                    status = *s;
                else
                    oneOf(ls, ls->text, names(kLegalStatuses));
            }
            if (const JsonNode* f = member(e, "in_force", JsonNode::Type::Bool, false))
                inForce = f->boolean;
            ev.legalStatus = status;
            ev.inForce = inForce;
            ev.note = optionalString(e, "note");
            ev.source = optionalString(e, "source");
            if (!p.history.empty() && ev.date < p.history.back().date)
                error(e, ErrorCode::PolicyInvalid, "status events must be in date order");
            p.history.push_back(std::move(ev));
        }
    }

    CountingScope parseScope(const JsonNode& s) {
        fields(s, {"include", "public_synthetic_data", "recompute"});
        CountingScope scope;
        if (const JsonNode* inc = member(s, "include", JsonNode::Type::Array, true)) {
            for (const JsonNode& k : inc->items) {
                if (!expect(k, JsonNode::Type::String)) continue;
                if (auto kind = parseStageKind(k.text))
                    scope.include[static_cast<std::size_t>(*kind)] = true;
                else
                    oneOf(&k, k.text, stageKindNames());
            }
        }
        if (const JsonNode* b = member(s, "public_synthetic_data", JsonNode::Type::Bool, false))
            scope.publicSyntheticData = b->boolean;
        if (const JsonNode* b = member(s, "recompute", JsonNode::Type::Bool, false))
            scope.recompute = b->boolean;
        return scope;
    }

    Condition parseCondition(const JsonNode& n, bool modelTree, int depth) {
        Condition c;
        c.pointer = n.pointer;
        if (depth > 16) {
            error(n, ErrorCode::JsonDepth, "condition tree deeper than 16 levels");
            return c;
        }
        for (std::string_view op : {"all", "any"}) {
            if (const JsonNode* list = n.get(op)) {
                fields(n, {op, "note"});
                c.op = op == "all" ? Condition::Op::All : Condition::Op::Any;
                c.note = optionalString(n, "note");
                if (!expect(*list, JsonNode::Type::Array)) return c;
                if (list->items.empty())
                    error(*list, ErrorCode::PolicyInvalid, "needs at least one condition");
                for (const JsonNode& child : list->items) {
                    if (expect(child, JsonNode::Type::Object))
                        c.children.push_back(parseCondition(child, modelTree, depth + 1));
                }
                return c;
            }
        }
        if (const JsonNode* inner = n.get("not")) {
            fields(n, {"not", "note"});
            c.op = Condition::Op::Not;
            c.note = optionalString(n, "note");
            if (expect(*inner, JsonNode::Type::Object))
                c.children.push_back(parseCondition(*inner, modelTree, depth + 1));
            return c;
        }
        parseLeaf(n, c, modelTree);
        return c;
    }

    void parseLeaf(const JsonNode& n, Condition& c, bool modelTree) {
        fields(n, {"metric", "comparator", "reading", "value", "threshold", "unit", "scope",
                   "any_of", "equals", "precision", "primary", "note", "fact", "label"});
        c.op = Condition::Op::Leaf;
        const JsonNode* mn = n.get("metric");
        if (!mn) {
            error(n, ErrorCode::PolicyInvalid,
                  "a condition is {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or a leaf "
                  "with \"metric\"");
            return;
        }
        if (!expect(*mn, JsonNode::Type::String)) return;
        auto metric = parseMetric(mn->text);
        if (!metric) {
            std::string msg = "unknown metric \"" + mn->text + "\"";
            const std::string guess = didYouMean(mn->text, metricNames());
            if (!guess.empty()) msg += "; did you mean \"" + guess + "\"?";
            error(*mn, ErrorCode::UnknownMetric, msg);
            return;
        }
        c.metric = *metric;
        if (detail::metricInfo(c.metric).cluster == modelTree)
            error(*mn, ErrorCode::PolicyInvalid,
                  "metric \"" + mn->text + "\" does not apply to " +
                      (modelTree ? "model" : "cluster") + " records");
        c.note = optionalString(n, "note");
        if (const JsonNode* pr = member(n, "primary", JsonNode::Type::Bool, false))
            c.primary = pr->boolean;
        const std::string_view unit = detail::metricInfo(c.metric).unit;
        if (unit.empty()) {
            parseBooleanLeaf(n, c);
            return;
        }
        for (const char* k : {"any_of", "equals"})
            if (const JsonNode* x = n.get(k))
                error(*x, ErrorCode::PolicyInvalid,
                      std::string("\"") + k + "\" is only for boolean metrics");
        parseFactLeaf(n, c);  // "fact"/"label" are refused on numeric leaves
        c.unit = requiredString(n, "unit");
        if (!c.unit.empty() && c.unit != unit)
            error(*n.get("unit"), ErrorCode::PolicyInvalid,
                  "metric \"" + mn->text + "\" is measured in " + std::string(unit) + ", not " +
                      c.unit);
        const std::string cmp = requiredString(n, "comparator");
        if (auto parsed = parseComparator(cmp)) {
            c.comparator = *parsed;
            c.reading = *parsed;
        } else if (!cmp.empty()) {
            oneOf(n.get("comparator"), cmp, {">", ">=", "<", "<=", "unstated"});
        }
        const JsonNode* rd = n.get("reading");
        if (c.comparator == Comparator::Unstated) {
            if (!rd) {
                error(n, ErrorCode::PolicyInvalid,
                      "comparator \"unstated\" needs \"reading\": the comparator applied");
            } else if (expect(*rd, JsonNode::Type::String)) {
                auto r = parseComparator(rd->text);
                if (!r || *r == Comparator::Unstated)
                    oneOf(rd, rd->text, {">", ">=", "<", "<="});
                else
                    c.reading = *r;
            }
            if (c.note.empty())
                error(n, ErrorCode::PolicyInvalid,
                      "comparator \"unstated\" needs a \"note\" explaining the reading");
        } else if (rd) {
            error(*rd, ErrorCode::PolicyInvalid, "\"reading\" is only for comparator \"unstated\"");
        }
        const JsonNode* value = n.get("value");
        const JsonNode* threshold = n.get("threshold");
        if ((value != nullptr) == (threshold != nullptr)) {
            error(n, ErrorCode::PolicyInvalid, "give exactly one of \"value\" and \"threshold\"");
        } else if (value) {
            c.threshold.kind = ThresholdKind::Constant;
            c.threshold.valueText = value->text;
            if (auto v = number(*value, c.metric != Metric::BioSequenceShare))
                c.threshold.value = *v;
            if (c.metric == Metric::ModificationCompute)
                error(*value, ErrorCode::PolicyInvalid,
                      "modification-compute needs a \"threshold\" of type \"relative-to-parent\"");
        } else if (expect(*threshold, JsonNode::Type::Object)) {
            parseThreshold(*threshold, c);
        }
        if (const JsonNode* s = n.get("scope")) {
            if (expect(*s, JsonNode::Type::Object)) c.scope = parseScope(*s);
            if (detail::metricInfo(c.metric).scope != detail::MetricScope::Own)
                error(*s, ErrorCode::PolicyInvalid,
                      "\"scope\" is only for compute and cost metrics");
        }
        if (const JsonNode* pn = member(n, "precision", JsonNode::Type::String, false)) {
            if (c.metric != Metric::ClusterPeak)
                error(*pn, ErrorCode::PolicyInvalid, "\"precision\" is only for cluster-peak");
            if (pn->text != "max") {
                if (auto pr = parsePrecision(pn->text))
                    c.peakPrecision = *pr;
                else {
                    auto allowed = precisionNames();
                    allowed.push_back("max");
                    oneOf(pn, pn->text, allowed);
                }
            }
        }
    }

    static std::optional<Comparator> parseComparator(std::string_view s) {
        if (s == ">") return Comparator::Greater;
        if (s == ">=") return Comparator::GreaterEqual;
        if (s == "<") return Comparator::Less;
        if (s == "<=") return Comparator::LessEqual;
        if (s == "unstated") return Comparator::Unstated;
        return std::nullopt;
    }

    void parseThreshold(const JsonNode& t, Condition& c) {
        const std::string type = requiredString(t, "type");
        ThresholdSpec& spec = c.threshold;
        if (type == "relative-to-parent") {
            fields(t, {"type", "ratio", "fallback_if_systemic_risk", "fallback_otherwise"});
            spec.kind = ThresholdKind::RelativeToParent;
            if (c.metric != Metric::ModificationCompute)
                error(t, ErrorCode::PolicyInvalid,
                      "\"relative-to-parent\" is only for modification-compute");
            if (const JsonNode* r = t.get("ratio")) {
                spec.valueText = r->text;
                if (auto v = number(*r)) spec.value = *v;
            } else {
                error(t, ErrorCode::PolicyInvalid, "missing required field \"ratio\"");
            }
            if (const JsonNode* f = t.get("fallback_if_systemic_risk"))
                spec.fallbackIfSystemicRisk = number(*f);
            if (const JsonNode* f = t.get("fallback_otherwise"))
                spec.fallbackOtherwise = number(*f);
        } else if (type == "effective-compute") {
            fields(t, {"type", "effective_value", "reference_date", "halving_months"});
            spec.kind = ThresholdKind::EffectiveCompute;
            if (const JsonNode* e = t.get("effective_value")) {
                spec.valueText = e->text;
                if (auto v = number(*e)) spec.value = *v;
            } else {
                error(t, ErrorCode::PolicyInvalid, "missing required field \"effective_value\"");
            }
            if (const JsonNode* d = member(t, "reference_date", JsonNode::Type::String, true)) {
                if (auto dd = date(*d)) spec.referenceDate = *dd;
            }
            if (const JsonNode* h = t.get("halving_months")) {
                if (auto v = number(*h)) {
                    spec.halvingMonths = *v;
                    // The exact comparison raises values to the denominator of months / h
                    // (at most p) and 2 to months * q / p: both bounded (issue 18).
                    if (*v < 1 || numerator(*v) > detail::kMaxHalvingNumerator ||
                        denominator(*v) > detail::kMaxHalvingDenominator)
                        error(*h, ErrorCode::NumberOutOfRange,
                              "halving_months must be at least 1 and a fraction p/q with p <= " +
                                  std::to_string(detail::kMaxHalvingNumerator) + " and q <= " +
                                  std::to_string(detail::kMaxHalvingDenominator));
                }
            } else {
                error(t, ErrorCode::PolicyInvalid, "missing required field \"halving_months\"");
            }
        } else if (type == "frontier-rank") {
            fields(t, {"type", "rank"});
            spec.kind = ThresholdKind::FrontierRank;
            if (const JsonNode* r = t.get("rank")) {
                auto v = number(*r);
                if (v && (denominator(*v) != 1 || *v > 100000))
                    error(*r, ErrorCode::NumberOutOfRange, "rank must be a whole number <= 100000");
                else if (v)
                    spec.rank = static_cast<int>(numerator(*v));
                spec.valueText = r->text;
            } else {
                error(t, ErrorCode::PolicyInvalid, "missing required field \"rank\"");
            }
            if (!detail::isOwnCompute(c.metric))
                error(t, ErrorCode::PolicyInvalid, "\"frontier-rank\" is only for compute metrics");
        } else if (!type.empty()) {
            oneOf(t.get("type"), type,
                  {"relative-to-parent", "effective-compute", "frontier-rank"});
        }
    }

    void parseBooleanLeaf(const JsonNode& n, Condition& c) {
        for (const char* k : {"comparator", "value", "threshold", "unit", "reading"})
            if (const JsonNode* x = n.get(k))
                error(*x, ErrorCode::PolicyInvalid,
                      std::string("\"") + k + "\" is not used by metric \"" +
                          std::string(toString(c.metric)) + "\"");
        if (c.metric == Metric::GeneratedModalities) {
            if (const JsonNode* a = member(n, "any_of", JsonNode::Type::Array, true)) {
                for (const JsonNode& m : a->items) {
                    if (!expect(m, JsonNode::Type::String)) continue;
                    if (auto mod = parseModality(m.text))
                        c.anyOf.push_back(*mod);
                    else
                        oneOf(&m, m.text,
                              {"text", "code", "image", "video", "audio", "speech", "biology",
                               "other"});
                }
                if (a->items.empty())
                    error(*a, ErrorCode::PolicyInvalid, "needs at least one modality");
            }
            if (const JsonNode* x = n.get("equals"))
                error(*x, ErrorCode::PolicyInvalid, "generated-modalities uses \"any_of\"");
            return;
        }
        if (const JsonNode* x = n.get("any_of"))
            error(*x, ErrorCode::PolicyInvalid, "\"any_of\" is only for generated-modalities");
        parseFactLeaf(n, c);
        const JsonNode* eq = n.get("equals");
        if (!eq) {
            error(n, ErrorCode::PolicyInvalid, "missing required field \"equals\"");
            return;
        }
        if (c.metric == Metric::Weights) {
            if (expect(*eq, JsonNode::Type::String)) {
                if (eq->text == "open" || eq->text == "closed")
                    c.equals = eq->text == "open";
                else
                    oneOf(eq, eq->text, {"open", "closed"});
            }
        } else if (expect(*eq, JsonNode::Type::Bool)) {
            c.equals = eq->boolean;
        }
    }

    // "fact" and "label" belong to declared-fact leaves only; the fact id is an id.
    void parseFactLeaf(const JsonNode& n, Condition& c) {
        if (c.metric != Metric::DeclaredFact) {
            for (const char* k : {"fact", "label"})
                if (const JsonNode* x = n.get(k))
                    error(*x, ErrorCode::PolicyInvalid,
                          std::string("\"") + k + "\" is only for metric \"declared-fact\"");
            return;
        }
        c.fact = requiredString(n, "fact");
        if (!c.fact.empty() && !validId(c.fact))
            error(*n.get("fact"), ErrorCode::BadId,
                  "fact id \"" + c.fact + "\" must match [a-z0-9][a-z0-9._-]*");
        c.label = optionalString(n, "label");
    }

    // verified_on, threshold_source and alternative_readings (docs/policy-format.md).
    void parseProvenance(const JsonNode& root, Policy& p, bool models) {
        if (const JsonNode* v = root.get("verified_on")) p.verifiedOn = date(*v);
        p.thresholdSource = optionalString(root, "threshold_source");
        const JsonNode* alts = member(root, "alternative_readings", JsonNode::Type::Array, false);
        if (!alts) return;
        if (!models) error(*alts, ErrorCode::PolicyInvalid, "alternative readings are for models");
        for (const JsonNode& a : alts->items) {
            if (!expect(a, JsonNode::Type::Object)) continue;
            fields(a, {"id", "reading", "scope", "conditions"});
            AlternativeReading r;
            r.id = requiredString(a, "id");
            if (!r.id.empty() && !validId(r.id))
                error(*a.get("id"), ErrorCode::BadId,
                      "reading id \"" + r.id + "\" must match [a-z0-9][a-z0-9._-]*");
            r.reading = requiredString(a, "reading");
            if (const JsonNode* s = member(a, "scope", JsonNode::Type::Object, false))
                r.scope = parseScope(*s);
            if (const JsonNode* c = member(a, "conditions", JsonNode::Type::Object, false))
                r.conditions = parseCondition(*c, true, 0);
            if (!r.scope && !r.conditions)
                error(a, ErrorCode::PolicyInvalid,
                      "an alternative reading changes \"scope\" or \"conditions\" (or both)");
            p.alternatives.push_back(std::move(r));
        }
    }

    std::string file_;
};

}  // namespace

std::vector<Diagnostic> PolicyCatalog::validate(std::string_view text,
                                                const std::string& fileName) {
    detail::JsonNode root;
    try {
        root = detail::parseJsonDocument(text, fileName);
    } catch (const InputError& e) {
        return {e.diagnostic()};
    }
    PolicyParser parser(fileName);
    parser.parse(root);
    return std::move(parser.errors);
}

Policy PolicyCatalog::parse(std::string_view text, const std::string& fileName) {
    const detail::JsonNode root = detail::parseJsonDocument(text, fileName);
    PolicyParser parser(fileName);
    Policy p = parser.parse(root);
    if (!parser.errors.empty()) throw InputError(parser.errors.front());
    return p;
}

}  // namespace flopledger
