// The contract's JSON output documents (section 5). Field order is fixed (ordered_json) and every
// number is formatted deterministically, so identical input gives byte-identical output.
#include <flopledger/assessment.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace flopledger {
namespace {

using Json = nlohmann::ordered_json;

Json intervalObject(const Interval& v) {
    Json j = Json::object();
    j["low"] = formatExact(v.low);
    j["central"] = formatExact(v.central);
    j["high"] = formatExact(v.high);
    return j;
}

// Doubles are rounded to 6 decimals so that last-bit differences between libm versions do not
// change the bytes of a report; nlohmann then writes the shortest round-trip form.
Json roundedNumber(double x) {
    if (!std::isfinite(x)) {
        return nullptr;
    }
    double r = std::round(x * 1e6) / 1e6;
    if (r == 0.0) {
        r = 0.0;  // no "-0.0"
    }
    return r;
}

Json warningObject(const Diagnostic& d) {
    Json j = Json::object();
    j["code"] = codeText(d.code);
    j["name"] = std::string(codeName(d.code));
    if (!d.pointer.empty()) {
        j["pointer"] = d.pointer;
    }
    j["message"] = d.message;
    return j;
}

Json stageObject(const StageEstimate& s) {
    Json j = Json::object();
    j["kind"] = std::string(toString(s.kind));
    j["label"] = s.label;
    j["method"] = s.method ? Json(std::string(toString(*s.method))) : Json(nullptr);
    j["flop"] = intervalObject(s.flop);
    Json methods = Json::object();
    for (int m = 0; m < kMethodCount; ++m) {
        const auto& value = s.methods[static_cast<std::size_t>(m)];
        if (value) {
            methods[std::string(toString(static_cast<Method>(m)))] = intervalObject(*value);
        }
    }
    j["methods"] = std::move(methods);
    if (s.impliedUtilization) {
        j["implied_utilization"] = intervalObject(*s.impliedUtilization);
    }
    if (s.recomputeFlop) {
        j["recompute_flop"] = intervalObject(*s.recomputeFlop);
    }
    if (s.stage != nullptr && s.kind == StageKind::SyntheticData && s.stage->isPublic) {
        j["public"] = *s.stage->isPublic;
    }
    return j;
}

Json estimateObject(const RecordAssessment& r) {
    Json j = Json::object();
    j["id"] = r.id();
    if (r.isCluster()) {
        const auto& c = std::get<ClusterRecord>(*r.record);
        j["name"] = c.name;
        j["type"] = "cluster";
        return j;
    }
    const ModelRecord& m = std::get<ModelRecord>(*r.record);
    j["name"] = m.name;
    if (!r.estimate) {
        return j;
    }
    const ModelEstimate& e = *r.estimate;
    j["convention"] = std::string(toString(e.convention));
    j["total"] = intervalObject(e.total);
    Json stages = Json::array();
    for (const auto& s : e.stages) {
        stages.push_back(stageObject(s));
    }
    j["stages"] = std::move(stages);
    Json warnings = Json::array();
    for (const auto& w : e.warnings) {
        warnings.push_back(warningObject(w));
    }
    j["warnings"] = std::move(warnings);
    return j;
}

Json verdictObject(const Verdict& v) {
    Json j = Json::object();
    j["policy"] = v.policy;
    j["title"] = v.title;
    j["in_force"] = v.inForce;
    j["legal_status"] = v.legalStatus;
    j["status"] = std::string(toString(v.status));
    j["counted_flop"] = v.countedFlop ? intervalObject(*v.countedFlop) : Json(nullptr);
    j["threshold"] = v.threshold ? Json(formatExact(*v.threshold)) : Json(nullptr);
    j["comparator"] = v.comparator;
    j["margin_log10"] = v.marginLog10 ? roundedNumber(*v.marginLog10) : Json(nullptr);
    j["probability"] = v.probability ? roundedNumber(*v.probability) : Json(nullptr);
    j["missing"] = v.missing;
    j["notes"] = v.notes;
    return j;
}

std::string dump(const Json& j, int indent) {
    // Invalid UTF-8 cannot reach here (the reader rejects it), but never throw while writing.
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string intervalJson(const Interval& value) {
    return dump(intervalObject(value), -1);
}

std::string estimateJson(const RecordAssessment& result, int indent) {
    return dump(estimateObject(result), indent);
}

std::string assessJson(const RecordAssessment& result, std::size_t dateIndex, int indent) {
    Json j = estimateObject(result);
    const DatedVerdicts& d = result.dates.at(dateIndex);
    j["as_of"] = d.asOf.toIsoDay();
    Json verdicts = Json::array();
    for (const auto& v : d.verdicts) {
        verdicts.push_back(verdictObject(v));
    }
    j["verdicts"] = std::move(verdicts);
    return dump(j, indent);
}

std::string jsonArrayElement(const std::string& prettyObject) {
    std::string out;
    out.reserve(prettyObject.size() + prettyObject.size() / 8 + 2);
    out += "  ";
    for (char c : prettyObject) {
        out += c;
        if (c == '\n') {
            out += "  ";
        }
    }
    return out;
}

std::string jsonDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out = "[";
    bool first = true;
    auto add = [&](const std::string& pretty) {
        out += first ? "\n" : ",\n";
        first = false;
        out += jsonArrayElement(pretty);
    };
    for (const auto& r : results) {
        if (!evaluate) {
            add(estimateJson(r, 2));
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            add(assessJson(r, i, 2));
        }
    }
    out += first ? "]\n" : "\n]\n";
    return out;
}

std::string jsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out;
    for (const auto& r : results) {
        if (!evaluate) {
            out += estimateJson(r, -1);
            out += '\n';
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            out += assessJson(r, i, -1);
            out += '\n';
        }
    }
    return out;
}

}  // namespace flopledger
