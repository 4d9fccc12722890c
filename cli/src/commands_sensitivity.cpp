// sensitivity: which accounting choices flip which verdict (sensitivity.hpp), as a table or JSON.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/audit_manifest.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/data_tables.hpp>

#include <flopledger/flopledger.hpp>
#include <flopledger/sensitivity.hpp>

#include <algorithm>
#include <sstream>

namespace flopledger::inline v1::cli {
namespace {

std::string centralText(const std::optional<Interval>& v, int digits) {
    return v ? formatScientific(v->central, digits) : std::string("-");
}

// The Markdown form: the choices that change something, then the break-even values.
void writeMarkdown(std::ostream& text, const ModelSensitivity& m, int digits) {
    text << "## Sensitivity of " << m.id << " as of " << m.asOf.toIsoDay()
         << "\n\nBaseline convention " << toString(m.convention) << "; FLOP rounded to "
         << digits << " significant digits; choices that change nothing are not listed.\n\n"
         << "| policy | choice | method | verdict | counted FLOP | flips |\n"
         << "|---|---|---|---|---|---|\n";
    for (const auto& r : m.results) {
        text << "| " << r.policy << " | (baseline) | | " << toString(r.baseline.status) << " | "
             << centralText(r.baseline.countedFlop, digits) << " | |\n";
        for (const auto& c : r.choices) {
            text << "| | " << c.choice << "=" << c.value << " | " << c.method << " | "
                 << toString(c.status) << " | " << centralText(c.countedFlop, digits) << " | "
                 << (c.flips ? "**flips**" : "") << " |\n";
        }
    }
    text << "\n### Break-even values\n\nExact values of one input at which the verdict "
            "changes, the other inputs held.\n\n";
    bool any = false;
    for (const auto& r : m.results) {
        for (const auto& b : r.breakEven) {
            if (!any) {
                text << "| policy | input | method | current | break-even | beyond it |\n"
                     << "|---|---|---|---|---|---|\n";
            }
            any = true;
            text << "| " << r.policy << " | `" << b.pointer << "` | " << b.method << " | "
                 << formatScientific(b.current, std::max(digits, 6)) << " | "
                 << formatScientific(b.value, std::max(digits, 6)) << " | "
                 << toString(b.flipsTo) << " |\n";
        }
    }
    if (!any) {
        text << "(none)\n";
    }
    bool first = true;
    for (const auto& r : m.results) {
        for (const auto& n : r.notes) {
            text << (first ? "\n" : "") << "- " << r.policy << ": " << n << "\n";
            first = false;
        }
    }
    text << "\n";
}

}  // namespace

int commandSensitivity(const Settings& s, std::ostream& out, std::ostream& err) {
    if (s.format != "text" && s.format != "json" && s.format != "md") {
        throw InputError(ErrorCode::Usage, "sensitivity writes --format text, json or md");
    }
    DataTables data(s.dataDir);
    ReadLimits limits;
    limits.lowerLayers = !s.curatedOnly;
    RecordReader reader(limits, data.hardware());
    ReadResult rr = s.recordJson.empty() ? reader.readPath(s.inputs.front())
                                         : reader.readText(s.recordJson, "(flags)");
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
    so.confidenceIntervals = s.confidenceIntervals != "off";

    // Parents referenced by id resolve within the file, as in assess.
    const bool anyModel = std::any_of(rr.records.begin(), rr.records.end(), [](const Record& r) {
        return std::holds_alternative<ModelRecord>(r);
    });
    if (!anyModel) {
        throw InputError(ErrorCode::MissingField,
                         "sensitivity needs a model record in '" + s.inputs.front() + "'");
    }
    const std::vector<ModelSensitivity> models = analyseSensitivity(rr.records, policies, asOf, so);

    std::ostringstream text;
    for (const ModelSensitivity& m : models) {
        if (s.format == "json") {
            break;
        }
        const std::vector<SensitivityResult>& results = m.results;
        if (s.format == "md") {
            writeMarkdown(text, m, s.digits);
            continue;
        }
        text << "Sensitivity of " << m.id << " as of " << asOf.toIsoDay()
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
                text << "  " << r.policy << ": " << b.pointer << " (" << b.method << ") "
                     << formatScientific(b.current, std::max(s.digits, 6)) << " -> "
                     << formatScientific(b.value, std::max(s.digits, 6)) << ", "
                     << toString(b.flipsTo) << " beyond\n";
            }
        }
        for (const auto& r : results) {
            for (const auto& n : r.notes) {
                text << "note: " << r.policy << ": " << n << "\n";
            }
        }
    }
    if (s.format == "json") {
        text << sensitivityJson(models);
    }
    AtomicOutput output(s.output, out);
    output.stream() << text.str();
    output.commit();
    if (!s.manifest.empty()) {
        AssessOptions ao;
        ao.estimate = so.estimate;
        ao.asOf = dates.empty() ? std::vector<Date>{} : std::vector<Date>{asOf};
        ao.catalog = data.policies();
        Manifest manifest = manifestFor(ao, "sensitivity");
        std::vector<std::string> ids;
        for (const Policy* p : policies) ids.push_back(p->id);
        manifest.options = manifestOptions(s, ids, true);
        writeManifest(s, std::move(manifest), {{s.inputs.front(), rr.records.size()}},
                      sha256Hex(text.str()));
    }
    return kExitOk;
}

}  // namespace flopledger::cli
