// CSV rows of a record, with a per-thread memo of the texts that repeat across records and
// policies (report_detail.hpp).
#include "output/report_detail.hpp"

#include "base/number_text.hpp"
#include "output/output_memo.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

namespace flopledger::inline v1::detail {

std::string csvHeader(bool evaluate) {
    if (evaluate) {
        return "id,name,as_of,policy,status,in_force,legal_status,counted_low,counted_central,"
               "counted_high,threshold,comparator,margin_log10,probability,total_low,"
               "total_central,total_high,method,missing,notes,lower_bound,compute_status,"
               "disclosed_status,crossing_flop,reported_flop,reason\r\n";
    }
    return "id,name,convention,total_low,total_central,total_high,method,stages,warnings,"
           "lower_bound,reported_flop\r\n";
}

namespace {

// The per-thread state of csvRows: the policy-dependent fields of each verdict position, and
// per record the texts of its counted intervals and doubles (they repeat across policies).
struct CsvVerdict {
    bool valid = false;
    std::string policy, legalStatus, policyField, legalField;
    bool hasThreshold = false;
    detail::SmallInt threshold;
    std::string comparator, limitField;
    std::vector<std::string> missing, notes;
    std::string listsField;
};

struct CsvCache {
    std::vector<std::vector<CsvVerdict>> verdicts;  // [date][verdict]

    struct IntervalText {
        detail::SmallInt key[3];
        std::string text;  // "low,central,high,"
    };
    std::vector<IntervalText> intervals;
    std::size_t intervalsUsed = 0;
    struct NumberText {
        std::uint64_t bits = 0;
        std::string text;
    };
    std::vector<NumberText> numbers;
    std::size_t numbersUsed = 0;
    std::string scratch;  // fixed() without the memo (FLOPLEDGER_FAST_PATHS=OFF)

    void startRecord() {
        intervalsUsed = 0;
        numbersUsed = 0;
    }
    void appendInterval(std::string& out, const Interval& v) {
        detail::SmallInt key[3];
        if (!detail::smallInt(v.low, key[0]) || !detail::smallInt(v.central, key[1]) ||
            !detail::smallInt(v.high, key[2])) {
            detail::appendExact(out, v.low);
            out += ',';
            detail::appendExact(out, v.central);
            out += ',';
            detail::appendExact(out, v.high);
            out += ',';
            return;
        }
        for (std::size_t i = 0; i < intervalsUsed; ++i) {
            const IntervalText& e = intervals[i];
            if (e.key[0] == key[0] && e.key[1] == key[1] && e.key[2] == key[2]) {
                out += e.text;
                return;
            }
        }
        if (intervalsUsed == intervals.size()) {
            intervals.emplace_back();
        }
        IntervalText& e = intervals[intervalsUsed++];
        std::copy(std::begin(key), std::end(key), e.key);
        e.text.clear();
        detail::appendExact(e.text, v.low);
        e.text += ',';
        detail::appendExact(e.text, v.central);
        e.text += ',';
        detail::appendExact(e.text, v.high);
        e.text += ',';
        out += e.text;
    }
    // fixed6(x), formatted once per distinct value of the record (by its bits).
    const std::string& fixed(double x) {
        if constexpr (!detail::kFastPaths) return scratch = fixed6(x);
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        for (std::size_t i = 0; i < numbersUsed; ++i) {
            if (numbers[i].bits == bits) {
                return numbers[i].text;
            }
        }
        if (numbersUsed == numbers.size()) {
            numbers.emplace_back();
        }
        NumberText& e = numbers[numbersUsed++];
        e.bits = bits;
        e.text = fixed6(x);
        return e.text;
    }
};

CsvCache& csvCache() {
    return threadMemo<CsvCache>();
}

}  // namespace

std::string csvRows(const ReportOptions& o, const RecordAssessment& r) {
    std::string out;
    const std::string id = csvField(r.id());
    const std::string name = csvField(recordName(r));
    std::string totals = ",,,";
    std::string method;
    bool totalLowerBound = false;
    std::string reportedFlop;  // contract 7.1: the developer's figure beside the total
    if (r.estimate) {
        const Interval& t = r.estimate->total;
        totalLowerBound = incomplete(*r.estimate) || r.estimate->stages.empty();
        // A lower bound has no upper end (contract 7.3): empty high.
        totals = exactText(t.low) + "," + exactText(t.central) + "," +
                 (totalLowerBound ? std::string() : exactText(t.high)) + ",";
        method = csvField(methodSummary(*r.estimate, false));
        const auto& rec = std::get<ModelRecord>(*r.record);
        if (rec.reported && rec.reported->trainingFlop) {
            reportedFlop = exactText(rec.reported->trainingFlop->central());
        }
    }
    if (!o.evaluate) {
        std::vector<std::string> warnings;
        std::size_t stages = 0;
        std::string convention;
        if (r.estimate) {
            for (const auto& w : r.estimate->warnings) {
                warnings.push_back(warningText(w));
            }
            stages = r.estimate->stages.size();
            convention = toString(r.estimate->convention);
        }
        out += id + "," + name + "," + convention + "," + totals + method + "," +
               std::to_string(stages) + "," + csvField(joined(warnings, "; ")) + "," +
               (totalLowerBound ? "true" : "false") + "," + reportedFlop + "\r\n";
        return out;
    }
    // One row per verdict. Most of a row's bytes depend only on the policy (its id, legal
    // status, threshold, comparator, missing inputs and notes as CSV fields): they are kept per
    // thread, date and verdict position and reused when the inputs are equal.
    CsvCache& cache = csvCache();
    cache.startRecord();
    std::string tail = totals;  // the fields after probability, up to the missing inputs
    tail += method;
    tail += ',';
    for (std::size_t di = 0; di < r.dates.size(); ++di) {
        const DatedVerdicts& d = r.dates[di];
        std::string prefix = id;
        prefix += ',';
        prefix += name;
        prefix += ',';
        prefix += d.asOf.toIsoDay();
        prefix += ',';
        if (cache.verdicts.size() <= di) {
            cache.verdicts.resize(di + 1);
        }
        auto& slots = cache.verdicts[di];
        if (slots.size() < d.verdicts.size()) {
            slots.resize(d.verdicts.size());
        }
        out.reserve(out.size() + d.verdicts.size() * (prefix.size() + tail.size() + 400));
        for (std::size_t vi = 0; vi < d.verdicts.size(); ++vi) {
            const Verdict& v = d.verdicts[vi];
            CsvVerdict& c = slots[vi];
            if constexpr (!detail::kFastPaths) c.valid = false;  // no memo: every cell rebuilt
            if (!c.valid || c.policy != v.policy || c.legalStatus != v.legalStatus) {
                c.valid = false;  // (until every field is rebuilt: never stale after a failure)
                c.policy = v.policy;
                c.legalStatus = v.legalStatus;
                c.policyField = csvField(v.policy);
                c.legalField = csvField(v.legalStatus);
            }
            detail::SmallInt threshold;
            const bool small = v.threshold && detail::smallInt(*v.threshold, threshold);
            if (!c.valid || !(small || !v.threshold) || c.hasThreshold != small ||
                (small && !(c.threshold == threshold)) || c.comparator != v.comparator) {
                c.valid = false;
                c.hasThreshold = small;
                c.threshold = threshold;
                c.comparator = v.comparator;
                c.limitField = v.threshold ? exactText(*v.threshold) : std::string();
                c.limitField += ',';
                c.limitField += csvField(v.comparator);
                c.limitField += ',';
            }
            if (!c.valid || c.missing != v.missing || c.notes != v.notes) {
                c.valid = false;
                c.missing = v.missing;
                c.notes = v.notes;
                c.listsField = csvField(joined(v.missing, "; "));
                c.listsField += ',';
                c.listsField += csvField(joined(v.notes, "; "));
                c.listsField += ',';
            }
            c.valid = true;
            out += prefix;
            out += c.policyField;
            out += ',';
            out += toString(v.status);
            out += v.inForce ? ",true," : ",false,";
            out += c.legalField;
            out += ',';
            if (v.countedFlop && v.lowerBound && v.assumptions.empty()) {
                detail::appendExact(out, v.countedFlop->low);  // no upper end: empty high
                out += ',';
                detail::appendExact(out, v.countedFlop->central);
                out += ",,";
            } else if (v.countedFlop) {
                cache.appendInterval(out, *v.countedFlop);
            } else {
                out += ",,,";
            }
            if (small || !v.threshold) {
                out += c.limitField;
            } else {
                out += exactText(*v.threshold);  // a fraction or a huge threshold: not kept
                out += ',';
                out += csvField(v.comparator);
                out += ',';
                c.valid = false;
            }
            if (v.marginLog10) {
                out += cache.fixed(*v.marginLog10);
            }
            out += ',';
            if (v.probability) {
                out += cache.fixed(*v.probability);
            }
            out += ',';
            out += tail;
            out += c.listsField;
            // Contract 7.3-7.5 fields, appended after the v1 columns.
            out += v.lowerBound ? "true," : "false,";
            if (v.computeStatus) {
                out += toString(*v.computeStatus);
            }
            out += ',';
            if (v.disclosedStatus) {
                out += toString(*v.disclosedStatus);
            }
            out += ',';
            if (v.crossingFlop) {
                detail::appendExact(out, *v.crossingFlop);
            }
            out += ',';
            out += reportedFlop;
            out += ',';
            appendCsvField(out, v.reason);
            out += "\r\n";
        }
    }
    return out;
}

}  // namespace flopledger::detail
