// sensitivity: which accounting choices flip which verdict (sensitivity.hpp), as a table or JSON.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/data_tables.hpp>

#include <flopledger/flopledger.hpp>
#include <flopledger/sensitivity.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace flopledger::cli {
namespace {

using Json = nlohmann::ordered_json;

Json intervalJsonValue(const std::optional<Interval>& v) {
    if (!v) {
        return nullptr;
    }
    return Json::parse(intervalJson(*v));
}

std::string centralText(const std::optional<Interval>& v, int digits) {
    return v ? formatScientific(v->central, digits) : std::string("-");
}

}  // namespace

int commandSensitivity(const Settings& s, std::ostream& out, std::ostream& err) {
    if (s.format != "text" && s.format != "json" && s.format != "md") {
        throw InputError(ErrorCode::Usage, "sensitivity writes --format text, json or md");
    }
    DataTables data(s.dataDir);
    RecordReader reader(ReadLimits{}, data.hardware());
    ReadResult rr = reader.readPath(s.inputs.front());
    for (const auto& rec : rr.records) {
        for (auto& d : reader.validate(rec)) {
            rr.diagnostics.push_back(std::move(d));
        }
    }
    bool errors = false;
    for (const auto& d : rr.diagnostics) {
        if (d.severity == Severity::Error) {
            err << d.toString() << "\n";
            errors = true;
        }
    }
    if (errors) {
        return kExitInvalid;
    }
    std::vector<Date> dates = parseDates(s.asOf);
    const Date asOf = dates.empty() ? Date::today() : dates.front();
    const std::vector<const Policy*> policies = data.policies()->select(splitList(s.policies));

    SensitivityOptions so;
    so.estimate.convention = parseConvention(s.convention).value_or(Convention::Matmul);
    so.estimate.prefer = preferOrder(s.prefer);
    so.estimate.hardware = data.hardware();
    so.evaluation.hardware = data.hardware();
    so.evaluation.monteCarlo.samples = s.samples;
    so.evaluation.monteCarlo.seed = s.seed;
    so.evaluation.probabilities = false;  // verdicts only: flips are decided exactly

    if (s.confidenceIntervals != "off") {
        for (auto& rec : rr.records) {
            if (auto* m = std::get_if<ModelRecord>(&rec)) {
                applyConfidenceIntervals(*m);
            }
        }
    }
    // Parents referenced by id resolve within the file, as in assess.
    Estimator estimator(so.estimate);
    std::vector<ModelEstimate> estimates;
    std::vector<const ModelRecord*> models;
    for (const auto& rec : rr.records) {
        if (const auto* m = std::get_if<ModelRecord>(&rec)) {
            models.push_back(m);
        }
    }
    estimates.reserve(models.size());
    RegistryContext context;
    for (const ModelRecord* m : models) {
        estimates.push_back(estimator.estimate(*m));
    }
    for (std::size_t i = 0; i < models.size(); ++i) {
        context.add(*models[i], estimates[i]);
    }
    so.evaluation.registry = &context;
    so.evaluation.estimator = &estimator;
    if (models.empty()) {
        throw InputError(ErrorCode::MissingField,
                         "sensitivity needs a model record in '" + s.inputs.front() + "'");
    }

    std::ostringstream text;
    Json all = Json::array();
    for (const ModelRecord* m : models) {
        std::vector<SensitivityResult> results = analyseSensitivity(*m, policies, asOf, so);
        if (s.format == "json") {
            Json j = Json::object();
            j["id"] = m->id;
            j["as_of"] = asOf.toIsoDay();
            j["convention"] = std::string(toString(so.estimate.convention));
            Json rs = Json::array();
            for (const auto& r : results) {
                Json rj = Json::object();
                rj["policy"] = r.policy;
                rj["baseline"] = {{"status", std::string(toString(r.baseline.status))},
                                  {"counted_flop", intervalJsonValue(r.baseline.countedFlop)}};
                rj["any_flip"] = r.anyFlip();
                Json cs = Json::array();
                for (const auto& c : r.choices) {
                    Json cj = Json::object();
                    cj["choice"] = c.choice;
                    cj["value"] = c.value;
                    cj["status"] = std::string(toString(c.status));
                    cj["counted_flop"] = intervalJsonValue(c.countedFlop);
                    cj["flips"] = c.flips;
                    cj["method"] = c.method;
                    cs.push_back(std::move(cj));
                }
                rj["choices"] = std::move(cs);
                Json be = Json::array();
                for (const auto& b : r.breakEven) {
                    be.push_back({{"pointer", b.pointer},
                                  {"input", b.input},
                                  {"method", b.method},
                                  {"current", formatExact(b.current)},
                                  {"value", formatExact(b.value)},
                                  {"flips_to", std::string(toString(b.flipsTo))}});
                }
                rj["break_even"] = std::move(be);
                rj["notes"] = r.notes;
                rs.push_back(std::move(rj));
            }
            j["policies"] = std::move(rs);
            all.push_back(std::move(j));
            continue;
        }
        const bool md = s.format == "md";
        if (md) {
            text << "## Sensitivity of " << m->id << " as of " << asOf.toIsoDay()
                 << "\n\nBaseline convention " << toString(so.estimate.convention)
                 << "; FLOP rounded to " << s.digits
                 << " significant digits; break-even values are exact.\n\n"
                 << "| policy | choice | method | verdict | counted FLOP | flips |\n"
                 << "|---|---|---|---|---|---|\n";
            for (const auto& r : results) {
                text << "| " << r.policy << " | (baseline) | | " << toString(r.baseline.status)
                     << " | " << centralText(r.baseline.countedFlop, s.digits) << " | |\n";
                for (const auto& c : r.choices) {
                    text << "| | " << c.choice << "=" << c.value << " | " << c.method << " | "
                         << toString(c.status) << " | "
                         << centralText(c.countedFlop, s.digits) << " | "
                         << (c.flips ? "**flips**" : "") << " |\n";
                }
            }
            text << "\n### Break-even values\n\n";
            bool anyBe = false;
            for (const auto& r : results) {
                for (const auto& b : r.breakEven) {
                    if (!anyBe) {
                        text << "| policy | input | method | current | break-even | beyond it |\n"
                             << "|---|---|---|---|---|---|\n";
                    }
                    anyBe = true;
                    text << "| " << r.policy << " | `" << b.pointer << "` | " << b.method << " | "
                         << formatScientific(b.current, s.digits) << " | "
                         << formatScientific(b.value, std::max(s.digits, 6)) << " (exact: "
                         << formatExact(b.value) << ") | " << toString(b.flipsTo) << " |\n";
                }
            }
            if (!anyBe) {
                text << "(none: no continuous input changes a verdict)\n";
            }
            for (const auto& r : results) {
                for (const auto& n : r.notes) {
                    text << "\n- " << r.policy << ": " << n;
                }
            }
            text << "\n";
            continue;
        }
        text << "Sensitivity of " << m->id << " as of " << asOf.toIsoDay()
             << " (baseline: convention " << toString(so.estimate.convention)
             << "; FLOP rounded to " << s.digits << " significant digits)\n";
        std::size_t flips = 0;
        std::size_t pw = 6;
        std::size_t cw = 6;
        std::size_t mw = 6;
        for (const auto& r : results) {
            pw = std::max(pw, r.policy.size());
            for (const auto& c : r.choices) {
                cw = std::max(cw, c.choice.size() + 1 + c.value.size());
                mw = std::max(mw, c.method.size());
            }
        }
        text << "\n"
             << rtrim(padRight("policy", pw) + " " + padRight("choice", cw) + " " +
                      padRight("method", mw) + " " + padRight("verdict", 13) + " " +
                      padRight("counted", 10) + " flips")
             << "\n";
        for (const auto& r : results) {
            text << rtrim(padRight(r.policy, pw) + " " + padRight("(baseline)", cw) + " " +
                          padRight("", mw) + " " + padRight(toString(r.baseline.status), 13) +
                          " " + centralText(r.baseline.countedFlop, s.digits))
                 << "\n";
            for (const auto& c : r.choices) {
                flips += c.flips ? 1 : 0;
                text << rtrim(padRight("", pw) + " " + padRight(c.choice + "=" + c.value, cw) +
                              " " + padRight(c.method, mw) + " " +
                              padRight(toString(c.status), 13) + " " +
                              padRight(centralText(c.countedFlop, s.digits), 10) +
                              (c.flips ? " FLIPS" : ""))
                     << "\n";
            }
        }
        text << "\n"
             << flips << (flips == 1 ? " choice flips a verdict" : " choices flip a verdict")
             << " (choices that change nothing are not listed).\n";
        bool anyBe = false;
        for (const auto& r : results) {
            for (const auto& b : r.breakEven) {
                if (!anyBe) {
                    text << "\nBreak-even values (exact; the other inputs held):\n";
                }
                anyBe = true;
                text << "  " << r.policy << ": " << b.pointer << " " << b.method << " "
                     << formatScientific(b.current, std::max(s.digits, 6)) << " -> "
                     << formatScientific(b.value, std::max(s.digits, 6)) << " ("
                     << toString(b.flipsTo) << " beyond)\n";
            }
        }
        for (const auto& r : results) {
            for (const auto& n : r.notes) {
                text << "note: " << r.policy << ": " << n << "\n";
            }
        }
    }
    if (s.format == "json") {
        text << all.dump(2) << "\n";
    }
    AtomicOutput output(s.output, out);
    output.stream() << text.str();
    output.commit();
    return kExitOk;
}

}  // namespace flopledger::cli
