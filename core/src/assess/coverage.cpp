// Threshold coverage over time (coverage.hpp).
#include <flopledger/coverage.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/status_summary.hpp>

#include "assess/assess_request.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

namespace flopledger::inline v1 {
namespace {

using Json = nlohmann::ordered_json;

// Numbers by std::to_chars / std::from_chars: the same digits as printf's "%.Nf" and strtod, but
// never a host's decimal comma (a GUI or C host may call setlocale; issue 18).
std::string fixedText(double x, int digits) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, digits);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("?");
}

std::string yearText(double y) {
    return fixedText(y, 1);
}

// log10 of a threshold's exact decimal text ("1e25", "3535534000000000000000000", "0.00..1").
double log10Text(const std::string& s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return std::log10(v);
}

// Two-sided 95% Student t quantile for `df` degrees of freedom (table; 1.96 beyond 30).
double tQuantile(std::size_t df) {
    static const double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0) {
        return 0;
    }
    return df <= 30 ? kT[df - 1] : 1.96;
}

std::optional<CoverageProjection> fitFrontier(const std::vector<RecordAssessment>& results,
                                              const CoverageResult& r) {
    std::map<int, double> best;  // year -> log10 of the largest central total
    for (const auto& a : results) {
        const auto* m = std::get_if<ModelRecord>(a.record.get());
        if (m == nullptr || !m->released || !a.estimate || a.estimate->total.central == 0) {
            continue;
        }
        const double l = log10Exact(a.estimate->total.central);
        auto [it, fresh] = best.emplace(m->released->year, l);
        if (!fresh) {
            it->second = std::max(it->second, l);
        }
    }
    // The last ten years with data: the deep-learning era's trend, not 1950's (Epoch's dataset
    // reaches back that far and a single line through both eras fits neither).
    if (!best.empty()) {
        const int last = best.rbegin()->first;
        best.erase(best.begin(), best.lower_bound(last - 9));
    }
    if (best.size() < 3) {
        return std::nullopt;  // a line through two points has no interval
    }
    CoverageProjection p;
    double sx = 0, sy = 0;
    for (const auto& [y, l] : best) {
        p.points.emplace_back(y, l);
        sx += y;
        sy += l;
    }
    const double n = static_cast<double>(best.size());
    const double mx = sx / n, my = sy / n;
    double sxx = 0, sxy = 0;
    for (const auto& [y, l] : p.points) {
        sxx += (y - mx) * (y - mx);
        sxy += (y - mx) * (l - my);
    }
    p.slope = sxy / sxx;
    p.intercept = my - p.slope * mx;
    double sse = 0;
    for (const auto& [y, l] : p.points) {
        const double e = l - (p.intercept + p.slope * y);
        sse += e * e;
    }
    const double se = std::sqrt(sse / (n - 2) / sxx);
    const double t = tQuantile(best.size() - 2);
    p.slopeLow = p.slope - t * se;
    p.slopeHigh = p.slope + t * se;
    // Thresholds as of the last date; the crossing year pivots about the data's mean year.
    for (std::size_t k = 0; k < r.policies.size(); ++k) {
        CoverageProjection::Crossing c;
        c.policy = r.policies[k].id;
        c.threshold = r.counts.back()[k].threshold;
        if (!c.threshold.empty()) {
            const double lt = log10Text(c.threshold);
            auto at = [&](double slope) -> std::optional<double> {
                if (slope <= 0) {
                    return std::nullopt;
                }
                return mx + (lt - my) / slope;
            };
            c.year = at(p.slope);
            // A steeper trend reaches a threshold above the mean sooner.
            auto a = at(p.slopeHigh), b = at(p.slopeLow);
            if (a && b) {
                c.yearLow = std::min(*a, *b);
                c.yearHigh = std::max(*a, *b);
            }
        }
        p.crossings.push_back(std::move(c));
    }
    return p;
}

// The projection paragraph (text and Markdown alike); "" without a projection.
std::string projectionText(const CoverageResult& r) {
    std::string out;
    if (r.projection) {
        const auto& pr = *r.projection;
        out +=
            "\nPROJECTION (a trend, not data): least-squares fit of log10 FLOP of the largest "
            "model\nof each year, " +
            std::to_string(pr.points.front().first) + "-" + std::to_string(pr.points.back().first) +
            " (" + std::to_string(pr.points.size()) + " years): x" +
            fixedText(std::pow(10.0, pr.slope), 2) + " per year (95% interval x" +
            fixedText(std::pow(10.0, pr.slopeLow), 2) + " to x" +
            fixedText(std::pow(10.0, pr.slopeHigh), 2) + ").\n";
        for (const auto& c : pr.crossings) {
            if (!c.year) {
                continue;
            }
            const std::size_t k = static_cast<std::size_t>(&c - pr.crossings.data());
            const std::size_t already =
                k < r.policies.size() && !r.counts.empty() ? r.counts.back()[k].exceeds : 0;
            out += "  " + c.policy + " (" + c.threshold + "): ";
            if (already > 0) {
                out += "already exceeded by " + std::to_string(already) +
                       " released models (data); the fitted frontier reached it in ";
            } else {
                out += "the fitted frontier reaches it in ";
            }
            out += yearText(*c.year);
            if (c.yearLow && c.yearHigh) {
                out += " (" + yearText(*c.yearLow) + " to " + yearText(*c.yearHigh) + ")";
            }
            out += "\n";
        }
    }
    return out;
}

}  // namespace

std::vector<Date> coverageDates(const Date& from, const Date& to, CoverageStep step) {
    std::vector<Date> out;
    Date d{from.year, from.month, from.day, Date::Precision::Day};
    const int months = step == CoverageStep::Year ? 12 : 3;
    while (d <= to && out.size() < 4000) {
        out.push_back(d);
        int m = d.month - 1 + months;
        d.year += m / 12;
        d.month = m % 12 + 1;
        d.day = std::min(d.day, 28);  // every month has a 28th; steps start on a day that exists
    }
    if (!out.empty() && out.back() < to && out.size() < 4000) {
        out.push_back(Date{to.year, to.month, to.day, Date::Precision::Day});  // the last date too
    }
    return out;
}

CoverageResult computeCoverage(std::vector<Record> records, const CoverageOptions& o) {
    if (o.to < o.from) {
        throw InputError(ErrorCode::Usage, "coverage: --to " + o.to.toIsoDay() +
                                               " is before --from " + o.from.toIsoDay());
    }
    CoverageResult r;
    r.dates = coverageDates(o.from, o.to, o.step);
    AssessOptions ao = o.assess;
    ao.asOf = r.dates;
    ao.evaluate = true;
    ao.monteCarlo.samples = 0;  // counts need statuses only
    Assessor assessor(ao);
    for (const auto& id : assessor.policyIds()) {
        r.policies.push_back(summarizePolicy(*assessor.catalog().find(id), r.dates.front()));
    }
    AssessRequest statuses;  // nor verdict texts
    statuses.verdictTexts = false;
    statuses.probabilities = false;
    std::vector<RecordAssessment> results =
        AssessorAccess::assessAll(assessor, std::move(records), o.threads, statuses);
    r.counts.assign(r.dates.size(), std::vector<CoverageCounts>(r.policies.size()));
    for (std::size_t d = 0; d < r.dates.size(); ++d) {
        for (std::size_t p = 0; p < r.policies.size(); ++p) {
            const Policy* pol = assessor.catalog().find(r.policies[p].id);
            r.counts[d][p].inForce = pol->stateOn(r.dates[d]).inForce;
        }
    }
    for (const auto& a : results) {
        const auto* m = std::get_if<ModelRecord>(a.record.get());
        if (m == nullptr) {
            continue;
        }
        ++r.models;
        if (!m->released) {
            ++r.undated;
            continue;
        }
        StatusLine line = statusLine(a, r.policies);
        for (std::size_t d = 0; d < line.cells.size(); ++d) {
            for (std::size_t p = 0; p < r.policies.size(); ++p) {
                const StatusCell& c = line.cells[d][p];
                if (!c.applies) {
                    continue;
                }
                CoverageCounts& k = r.counts[d][p];
                const Verdict* v = nullptr;
                for (const auto& x : a.dates[d].verdicts) {
                    v = x.policy == r.policies[p].id ? &x : v;
                }
                if (v != nullptr && v->threshold && k.threshold.empty()) {
                    k.threshold = formatScientific(*v->threshold, 3);
                }
                switch (c.status) {
                    case SummaryStatus::Exceeds:
                        ++k.exceeds;
                        break;
                    case SummaryStatus::Indeterminate:
                        ++k.straddle;
                        break;
                    case SummaryStatus::Below:
                        ++k.below;
                        break;
                    case SummaryStatus::Unknown:
                        ++k.unknown;
                        break;
                    case SummaryStatus::NotReleased:
                        break;
                }
            }
        }
    }
    if (o.projection) {
        r.projection = fitFrontier(results, r);
    }
    return r;
}

std::string coverageText(const CoverageResult& r) {
    std::string out = "Threshold coverage: released models per status as of each date (" +
                      std::to_string(r.models) + " models";
    if (r.undated > 0) {
        out += ", " + std::to_string(r.undated) + " without a release date not counted";
    }
    out += ")\n";
    for (std::size_t p = 0; p < r.policies.size(); ++p) {
        out += "\n" + r.policies[p].id + ": " + r.policies[p].title + "\n";
        out += "  as of       in force  threshold  exceeds  straddles  below  unknown\n";
        for (std::size_t d = 0; d < r.dates.size(); ++d) {
            const CoverageCounts& c = r.counts[d][p];
            char buf[160];
            std::snprintf(buf, sizeof buf, "  %-10s  %-8s  %-9s  %7zu  %9zu  %5zu  %7zu\n",
                          r.dates[d].toIsoDay().c_str(), c.inForce ? "yes" : "no",
                          c.threshold.empty() ? "-" : c.threshold.c_str(), c.exceeds, c.straddle,
                          c.below, c.unknown);
            out += buf;
        }
    }
    out += projectionText(r);
    return out;
}

std::string coverageCsv(const CoverageResult& r) {
    std::string out = "as_of,policy,in_force,threshold,exceeds,straddles,below,unknown\n";
    for (std::size_t d = 0; d < r.dates.size(); ++d) {
        for (std::size_t p = 0; p < r.policies.size(); ++p) {
            const CoverageCounts& c = r.counts[d][p];
            out += r.dates[d].toIsoDay() + "," + csvField(r.policies[p].id) + "," +
                   (c.inForce ? "true" : "false") + "," + c.threshold + "," +
                   std::to_string(c.exceeds) + "," + std::to_string(c.straddle) + "," +
                   std::to_string(c.below) + "," + std::to_string(c.unknown) + "\n";
        }
    }
    return out;
}

std::string coverageJson(const CoverageResult& r) {
    Json j = Json::object();
    j["models"] = r.models;
    j["undated"] = r.undated;
    Json policies = Json::array();
    for (std::size_t p = 0; p < r.policies.size(); ++p) {
        Json pj = Json::object();
        pj["id"] = r.policies[p].id;
        pj["title"] = r.policies[p].title;
        Json series = Json::array();
        for (std::size_t d = 0; d < r.dates.size(); ++d) {
            const CoverageCounts& c = r.counts[d][p];
            Json s = Json::object();
            s["as_of"] = r.dates[d].toIsoDay();
            s["in_force"] = c.inForce;
            s["threshold"] = c.threshold.empty() ? Json(nullptr) : Json(c.threshold);
            s["exceeds"] = c.exceeds;
            s["straddles"] = c.straddle;
            s["below"] = c.below;
            s["unknown"] = c.unknown;
            series.push_back(std::move(s));
        }
        pj["coverage"] = std::move(series);
        policies.push_back(std::move(pj));
    }
    j["policies"] = std::move(policies);
    if (r.projection) {
        const auto& pr = *r.projection;
        Json pj = Json::object();
        pj["label"] = "projection: least-squares fit of log10 FLOP of each year's largest model";
        Json pts = Json::array();
        for (const auto& [y, l] : pr.points) {
            pts.push_back(Json::array({y, l}));
        }
        pj["points"] = std::move(pts);
        pj["decades_per_year"] = pr.slope;
        pj["decades_per_year_95"] = Json::array({pr.slopeLow, pr.slopeHigh});
        pj["intercept"] = pr.intercept;
        Json cs = Json::array();
        for (const auto& c : pr.crossings) {
            Json cj = Json::object();
            cj["policy"] = c.policy;
            cj["threshold"] = c.threshold;
            cj["year"] = c.year ? Json(*c.year) : Json(nullptr);
            cj["year_95"] =
                c.yearLow && c.yearHigh ? Json::array({*c.yearLow, *c.yearHigh}) : Json(nullptr);
            cs.push_back(std::move(cj));
        }
        pj["crossings"] = std::move(cs);
        j["projection"] = std::move(pj);
    }
    return j.dump(2) + "\n";
}

std::string coverageMarkdown(const CoverageResult& r) {
    std::string out = "# Threshold coverage\n\nReleased models per status as of each date (" +
                      std::to_string(r.models) + " models";
    if (r.undated > 0) {
        out += "; " + std::to_string(r.undated) + " without a release date are not counted";
    }
    out += ").\n";
    for (std::size_t p = 0; p < r.policies.size(); ++p) {
        out += "\n## " + r.policies[p].title + " (`" + r.policies[p].id + "`)\n\n";
        out += "| As of | In force | Threshold | Exceeds | Straddles | Below | Unknown |\n";
        out += "|---|---|---|---:|---:|---:|---:|\n";
        for (std::size_t d = 0; d < r.dates.size(); ++d) {
            const CoverageCounts& c = r.counts[d][p];
            out += "| " + r.dates[d].toIsoDay() + " | " + (c.inForce ? "yes" : "no") + " | " +
                   (c.threshold.empty() ? "-" : c.threshold) + " | " + std::to_string(c.exceeds) +
                   " | " + std::to_string(c.straddle) + " | " + std::to_string(c.below) + " | " +
                   std::to_string(c.unknown) + " |\n";
        }
    }
    if (r.projection) {
        // The text form's projection paragraph is plain prose, valid Markdown too.
        out += "\n## Projection\n" + projectionText(r);
    }
    return out;
}

}  // namespace flopledger
