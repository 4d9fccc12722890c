// Sensitivity over a registry and its JSON document, shared by the CLI, the C API and Python.
#include <flopledger/assessment.hpp>
#include <flopledger/provenance.hpp>
#include <flopledger/sensitivity.hpp>

#include <nlohmann/json.hpp>

namespace flopledger::inline v1 {
namespace {

using Json = nlohmann::ordered_json;

Json intervalValue(const std::optional<Interval>& v) {
    if (!v) return nullptr;
    return Json::parse(intervalJson(*v));
}

}  // namespace

std::vector<ModelSensitivity> analyseSensitivity(const std::vector<Record>& records,
                                                 const std::vector<const Policy*>& policies,
                                                 const Date& asOf, SensitivityOptions options) {
    Estimator estimator(options.estimate);
    std::vector<const ModelRecord*> models;
    std::vector<ModelRecord> widened;  // labelled points read as intervals (contract 7.2)
    widened.reserve(records.size());
    for (const auto& rec : records) {
        const auto* m = std::get_if<ModelRecord>(&rec);
        if (m == nullptr) continue;
        if (options.confidenceIntervals && needsConfidenceIntervals(*m)) {
            widened.push_back(*m);
            applyConfidenceIntervals(widened.back());
            m = &widened.back();
        }
        models.push_back(m);
    }
    std::vector<ModelEstimate> estimates;
    estimates.reserve(models.size());
    for (const ModelRecord* m : models) estimates.push_back(estimator.estimate(*m));
    RegistryContext context;
    for (std::size_t i = 0; i < models.size(); ++i) context.add(*models[i], estimates[i]);
    options.evaluation.registry = &context;
    options.evaluation.estimator = &estimator;
    std::vector<ModelSensitivity> out;
    out.reserve(models.size());
    for (const ModelRecord* m : models) {
        ModelSensitivity ms;
        ms.id = m->id;
        ms.asOf = asOf;
        ms.convention = options.estimate.convention;
        ms.results = analyseSensitivity(*m, policies, asOf, options);
        out.push_back(std::move(ms));
    }
    return out;
}

std::string sensitivityJson(const std::vector<ModelSensitivity>& models) {
    Json all = Json::array();
    for (const ModelSensitivity& m : models) {
        Json j = Json::object();
        j["id"] = m.id;
        j["as_of"] = m.asOf.toIsoDay();
        j["convention"] = std::string(toString(m.convention));
        Json rs = Json::array();
        for (const auto& r : m.results) {
            Json rj = Json::object();
            rj["policy"] = r.policy;
            rj["baseline"] = {{"status", std::string(toString(r.baseline.status))},
                              {"counted_flop", intervalValue(r.baseline.countedFlop)}};
            rj["any_flip"] = r.anyFlip();
            Json cs = Json::array();
            for (const auto& c : r.choices) {
                Json cj = Json::object();
                cj["choice"] = c.choice;
                cj["value"] = c.value;
                cj["status"] = std::string(toString(c.status));
                cj["counted_flop"] = intervalValue(c.countedFlop);
                cj["flips"] = c.flips;
                cj["method"] = c.method;
                cs.push_back(std::move(cj));
            }
            rj["choices"] = std::move(cs);
            Json be = Json::array();
            for (const auto& b : r.breakEven) {
                Json bj = Json::object();
                bj["pointer"] = b.pointer;
                bj["input"] = b.input;
                bj["method"] = b.method;
                bj["current"] = formatExact(b.current);
                bj["value"] = formatExact(b.value);
                bj["flips_to"] = std::string(toString(b.flipsTo));
                be.push_back(std::move(bj));
            }
            rj["break_even"] = std::move(be);
            rj["notes"] = r.notes;
            rs.push_back(std::move(rj));
        }
        j["policies"] = std::move(rs);
        all.push_back(std::move(j));
    }
    return all.dump(2) + "\n";
}

}  // namespace flopledger
