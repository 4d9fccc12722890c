// CSV rows of a record, with a per-thread memo of the texts that repeat across records and
// policies (report_detail.hpp).
#include "output/report_detail.hpp"

#include "base/number_text.hpp"
#include "output/byte_sink.hpp"
#include "output/output_memo.hpp"
#include "policy/verdict_origin.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
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

// The per-thread state of the CSV rows: the policy-dependent fields of each verdict position,
// per record the texts of its counted intervals and doubles (they repeat across policies), and
// buffers for the fields around the verdicts.
struct CsvVerdict {
    bool valid = false;
    std::string policy, legalStatus, policyField, legalField;
    // Not 0: policy and legal status were recorded from this evaluator's verdict at this
    // position with its policy's texts (verdict_origin.hpp) on the as-of day `day`, so they
    // are that policy's on that day.
    std::uint64_t origin = 0;
    long day = 0;
    bool hasThreshold = false;
    detail::SmallInt threshold;
    std::string comparator, limitField;
    // "policy,status,in_force,legal_status," per status and in-force state, built when first
    // used (empty: not built); cleared with the policy's fields.
    std::array<std::string, 10> heads;  // 2 x kStatuses
    const std::string& head(const Verdict& v);
    // The notes field: a few variants per position (a policy's notes differ with what the
    // record leaves open); the one used last is tried first, a miss replaces them in turn.
    struct Notes {
        bool valid = false;
        std::vector<std::string> notes;
        std::string field;  // csvField(joined(notes, "; ")) + ','
        // Not 0: recorded from this evaluator's verdict at this position with its policy's
        // texts (verdict_origin.hpp): its first notes are the policy's static ones.
        std::uint64_t origin = 0;
        bool same(const std::vector<std::string>& v, std::uint64_t o, std::size_t statics) const;
    };
    std::array<Notes, 4> notes;
    std::size_t lastNotes = 0;
    std::size_t nextNotes = 0;
    const std::string& notesField(const std::vector<std::string>& v, std::uint64_t from,
                                  std::size_t statics);
};

// VerdictStatus's values (policy.hpp): the tables below have a slot for each; a status past
// them (a new one) takes the piecewise path.
constexpr VerdictStatus kLastStatus = VerdictStatus::NotReleased;
constexpr std::size_t kStatuses = static_cast<std::size_t>(kLastStatus) + 1;

const std::string& CsvVerdict::head(const Verdict& v) {
    std::string& h = heads[static_cast<std::size_t>(v.status) * 2 + (v.inForce ? 1 : 0)];
    if (h.empty()) {
        h = policyField;
        h += ',';
        h += toString(v.status);
        h += v.inForce ? ",true," : ",false,";
        h += legalField;
        h += ',';
    }
    return h;
}

// The lower_bound, compute_status and disclosed_status cells with their commas, for each
// combination (2 x 6 x 6): one copy instead of five pieces.
std::array<std::string, 72> makeExplainedCells() {
    static_assert(kStatuses == 5, "the table's size");
    std::array<std::string, 72> t;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::size_t cs = i / 6 % 6, ds = i % 6;
        t[i] = i >= 36 ? "true," : "false,";
        if (cs != 0) t[i] += toString(static_cast<VerdictStatus>(cs - 1));
        t[i] += ',';
        if (ds != 0) t[i] += toString(static_cast<VerdictStatus>(ds - 1));
        t[i] += ',';
    }
    return t;
}

// Built at start-up (toString reads a constant table): no initialisation guard per row.
const std::array<std::string, 72> kExplainedCells = makeExplainedCells();

std::string_view explainedCells(const Verdict& v) {
    const std::size_t cs = v.computeStatus ? 1 + static_cast<std::size_t>(*v.computeStatus) : 0;
    const std::size_t ds = v.disclosedStatus ? 1 + static_cast<std::size_t>(*v.disclosedStatus) : 0;
    return kExplainedCells[(v.lowerBound ? 36 : 0) + cs * 6 + ds];
}

// Whether this variant was made from notes v. With an identity (the verdict and the variant
// both carry evaluator o's policy texts at this position) the first `statics` notes are the
// policy's static notes on both sides: only the count and the record's own notes are compared.
bool CsvVerdict::Notes::same(const std::vector<std::string>& v, std::uint64_t o,
                             std::size_t statics) const {
    if (!valid) {
        return false;
    }
    if (o == 0 || origin != o) {
        return notes == v;
    }
    if (notes.size() != v.size() || statics > v.size()) {
        return false;
    }
    return std::equal(v.begin() + static_cast<std::ptrdiff_t>(statics), v.end(),
                      notes.begin() + static_cast<std::ptrdiff_t>(statics));
}

const std::string& CsvVerdict::notesField(const std::vector<std::string>& v, std::uint64_t from,
                                          std::size_t statics) {
    if constexpr (detail::kFastPaths) {
        if (notes[lastNotes].same(v, from, statics)) {
            return notes[lastNotes].field;
        }
        for (std::size_t i = 0; i < notes.size(); ++i) {
            if (i != lastNotes && notes[i].same(v, from, statics)) {
                lastNotes = i;
                return notes[i].field;
            }
        }
    }
    // A miss (always with FLOPLEDGER_FAST_PATHS=OFF): the variants are replaced in turn.
    const std::size_t slot = nextNotes++ % notes.size();
    Notes& e = notes[slot];
    e.valid = false;  // (until rebuilt: never stale after a failure)
    e.notes = v;
    e.origin = from;
    e.field.clear();
    if (!detail::kFastPaths || !putCsvList(e.field, v)) {
        e.field = csvField(joined(v, "; "));
    }
    e.field += ',';
    e.valid = true;
    lastNotes = slot;
    return e.field;
}

struct CsvCache {
    std::vector<std::vector<CsvVerdict>> verdicts;  // [date][verdict]

    struct IntervalText {
        detail::SmallInt key[3];
        std::string text;  // "low,central,high,"
    };
    std::vector<IntervalText> intervals;
    std::size_t intervalsUsed = 0;
    std::size_t lastInterval = 0;
    struct NumberText {
        std::uint64_t bits = 0;
        std::string text;
    };
    std::vector<NumberText> numbers;
    std::size_t numbersUsed = 0;
    std::string scratch;  // fixed() without the memo (FLOPLEDGER_FAST_PATHS=OFF)
    static constexpr std::uint64_t kOneBits = 0x3FF0000000000000ull;  // 1.0
    std::string kZero = "0.000000", kOne = "1.000000";  // (assignable: threadMemo resets)
    // Per record: the "id,name," prefix, the fields after the probability up to the missing
    // inputs, the reported figure and a field being quoted.
    std::string prefix, tail, reported, field;

    void startRecord() {
        intervalsUsed = 0;
        lastInterval = 0;
        numbersUsed = 0;
    }
    void putInterval(ByteSink& out, const Interval& v) {
        if (const std::string* text = intervalText(v)) {
            out.put(*text);
            return;
        }
        out.putExact(v.low);
        out.put(',');
        out.putExact(v.central);
        out.put(',');
        out.putExact(v.high);
        out.put(',');
    }
    // "low,central,high," of an interval of whole numbers below 2^128 from the record's memo
    // (made on first sight); nullptr for any other interval (and with the fast paths off).
    const std::string* intervalText(const Interval& v) {
        detail::SmallInt key[3];
        if (!detail::smallInt(v.low, key[0]) || !detail::smallInt(v.central, key[1]) ||
            !detail::smallInt(v.high, key[2])) {
            return nullptr;
        }
        // The record's verdicts mostly count the interval the previous one counted.
        if (lastInterval < intervalsUsed && sameKey(intervals[lastInterval].key, key)) {
            return &intervals[lastInterval].text;
        }
        for (std::size_t i = 0; i < intervalsUsed; ++i) {
            if (sameKey(intervals[i].key, key)) {
                lastInterval = i;
                return &intervals[i].text;
            }
        }
        if (intervalsUsed == intervals.size()) {
            intervals.emplace_back();
        }
        lastInterval = intervalsUsed;
        IntervalText& e = intervals[intervalsUsed++];
        std::copy(std::begin(key), std::end(key), e.key);
        // Equal bounds (a point) share one formatted number; the text is composed in place
        // and assigned once.
        char low[48], central[48], high[48];
        const std::size_t nc = detail::formatSmall(key[1], central);
        const std::size_t nl = key[0] == key[1] ? 0 : detail::formatSmall(key[0], low);
        const std::size_t nh = key[2] == key[1] ? 0 : detail::formatSmall(key[2], high);
        char text[3 * 48 + 4];
        char* p = text;
        const auto put = [&p](const char* from, std::size_t n) {
            copyBytes(p, from, n);  // (short pieces: inline)
            p += n;
            *p++ = ',';
        };
        put(nl == 0 ? central : low, nl == 0 ? nc : nl);
        put(central, nc);
        put(nh == 0 ? central : high, nh == 0 ? nc : nh);
        e.text.assign(text, static_cast<std::size_t>(p - text));
        return &e.text;
    }
    static bool sameKey(const detail::SmallInt (&a)[3], const detail::SmallInt (&b)[3]) {
        return a[1] == b[1] && a[0] == b[0] && a[2] == b[2];
    }
    // fixed6(x), formatted once per distinct value of the record (by its bits).
    const std::string& fixed(double x) {
        if constexpr (!detail::kFastPaths) return scratch = fixed6(x);
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        // A decided verdict's probability: fixed6's text of +0.0 and 1.0, no lookup.
        if (bits == 0) return kZero;
        if (bits == kOneBits) return kOne;
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
        if (!fixed6Fast(x, e.text)) {
            e.text = fixed6(x);
        }
        return e.text;
    }
    // csvField(text), without a temporary when no byte needs a control picture.
    void putField(ByteSink& out, std::string_view text) {
        const unsigned needs = detail::kFastPaths ? csvNeeds(text) : kCsvControl;
        if ((needs & kCsvControl) == 0) {
            const bool quoted = (needs & kCsvQuote) != 0;
            if (quoted) out.put('"');
            putCsvBody(out, text, quoted);
            if (quoted) out.put('"');
            return;
        }
        field.clear();
        appendCsvField(field, text);
        out.put(field);
    }
    // csvField(joined(items, "; ")), likewise.
    void putList(ByteSink& out, const std::vector<std::string>& items) {
        if (!detail::kFastPaths || !putCsvList(out, items)) {
            out.put(csvField(joined(items, "; ")));
        }
    }
};

CsvCache& csvCache() {
    return threadMemo<CsvCache>();
}

// The estimate-only row (assess without policies, estimate --format csv).
std::string estimateRow(const RecordAssessment& r) {
    std::string totals = ",,,";
    std::string method;
    bool totalLowerBound = false;
    std::string reportedFlop;
    std::vector<std::string> warnings;
    std::size_t stages = 0;
    std::string convention;
    if (r.estimate) {
        const Interval& t = r.estimate->total;
        totalLowerBound = incomplete(*r.estimate) || r.estimate->stages.empty();
        totals = exactText(t.low) + "," + exactText(t.central) + "," +
                 (totalLowerBound ? std::string() : exactText(t.high)) + ",";
        method = csvField(methodSummary(*r.estimate, false));
        const auto& rec = std::get<ModelRecord>(*r.record);
        if (rec.reported && rec.reported->trainingFlop) {
            reportedFlop = exactText(rec.reported->trainingFlop->central());
        }
        for (const auto& w : r.estimate->warnings) {
            warnings.push_back(warningText(w));
        }
        stages = r.estimate->stages.size();
        convention = toString(r.estimate->convention);
    }
    return csvField(r.id()) + "," + csvField(recordName(r)) + "," + convention + "," + totals +
           method + "," + std::to_string(stages) + "," + csvField(joined(warnings, "; ")) + "," +
           (totalLowerBound ? "true" : "false") + "," + reportedFlop + "\r\n";
}

// The fields of verdict v that depend only on its policy (and date) but its notes, rebuilt in c
// when an input differs (always with FLOPLEDGER_FAST_PATHS=OFF). Returns whether the threshold
// is c's.
bool refresh(CsvVerdict& c, const Verdict& v, std::uint64_t origin, long day) {
    if constexpr (!detail::kFastPaths) c.valid = false;  // no memo: every cell rebuilt
    // The same policy on the same day: policy and legal status not compared.
    const bool known = origin != 0 && c.origin == origin && c.day == day;
    if (!c.valid || (!known && (c.policy != v.policy || c.legalStatus != v.legalStatus))) {
        c.valid = false;  // (until every field is rebuilt: never stale after a failure)
        c.origin = origin;
        c.day = day;
        c.policy = v.policy;
        c.legalStatus = v.legalStatus;
        c.policyField = csvField(v.policy);
        c.legalField = csvField(v.legalStatus);
        for (std::string& h : c.heads) h.clear();
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
    c.valid = true;
    return small || !v.threshold;
}

// One verdict's row after the record's "id,name,as_of," prefix.
void putVerdict(ByteSink& out, CsvCache& cache, CsvVerdict& c, const Verdict& v,
                std::uint64_t origin, std::size_t statics, long day) {
    const bool limitKept = refresh(c, v, origin, day);
    if (detail::kFastPaths && static_cast<std::size_t>(v.status) < kStatuses) {
        out.put(c.head(v));
    } else {
        out.put(c.policyField);
        out.put(',');
        out.put(toString(v.status));
        out.put(v.inForce ? std::string_view(",true,") : std::string_view(",false,"));
        out.put(c.legalField);
        out.put(',');
    }
    if (v.countedFlop && v.lowerBound && v.assumptions.empty()) {
        out.putExact(v.countedFlop->low);  // no upper end: empty high
        out.put(',');
        out.putExact(v.countedFlop->central);
        out.put(",,");
    } else if (v.countedFlop) {
        cache.putInterval(out, *v.countedFlop);
    } else {
        out.put(",,,");
    }
    if (limitKept) {
        out.put(c.limitField);
    } else {
        out.putExact(*v.threshold);  // a fraction or a huge threshold: not kept
        out.put(',');
        cache.putField(out, v.comparator);
        out.put(',');
        c.valid = false;
    }
    if (v.marginLog10) {
        out.put(cache.fixed(*v.marginLog10));
    }
    out.put(',');
    if (v.probability) {
        out.put(cache.fixed(*v.probability));
    }
    out.put(',');
    out.put(cache.tail);
    if (!v.missing.empty()) {
        cache.putList(out, v.missing);
    }
    out.put(',');
    out.put(c.notesField(v.notes, origin, statics));
    // Contract 7.3-7.5 fields, appended after the v1 columns.
    if (detail::kFastPaths && (!v.computeStatus || *v.computeStatus <= kLastStatus) &&
        (!v.disclosedStatus || *v.disclosedStatus <= kLastStatus)) {
        out.put(explainedCells(v));
    } else {
        out.put(v.lowerBound ? std::string_view("true,") : std::string_view("false,"));
        if (v.computeStatus) {
            out.put(toString(*v.computeStatus));
        }
        out.put(',');
        if (v.disclosedStatus) {
            out.put(toString(*v.disclosedStatus));
        }
        out.put(',');
    }
    if (v.crossingFlop) {
        out.putExact(*v.crossingFlop);
    }
    out.put(',');
    out.put(cache.reported);
    out.put(',');
    cache.putField(out, v.reason);
    out.put("\r\n");
}

}  // namespace

void appendCsvRows(std::string& dest, const ReportOptions& o, const RecordAssessment& r) {
    if (!o.evaluate) {
        dest += estimateRow(r);
        return;
    }
    // One row per verdict. Most of a row's bytes depend only on the policy (its id, legal
    // status, threshold, comparator and notes as CSV fields): they are kept per thread, date
    // and verdict position and reused when the inputs are equal.
    CsvCache& cache = csvCache();
    cache.startRecord();
    // The rows straight into dest; FLOPLEDGER_FAST_PATHS=OFF: each row into fresh storage,
    // then copied to dest.
    std::string fresh;
    ByteSink out = detail::kFastPaths ? ByteSink(dest, ByteSink::Append{}) : ByteSink(fresh);
    std::string& tail = cache.tail;  // the fields after probability, up to the missing inputs
    std::string& reported = cache.reported;  // contract 7.1: the developer's figure
    tail.clear();
    reported.clear();
    if (r.estimate) {
        const Interval& t = r.estimate->total;
        // A lower bound has no upper end (contract 7.3): empty high.
        const bool lowerBound = incomplete(*r.estimate) || r.estimate->stages.empty();
        if (const std::string* text = cache.intervalText(t)) {
            // From the interval memo (a point's number formatted once; verdicts that count the
            // total replay it); a lower bound's high is left empty.
            const std::size_t central = text->find(',') + 1;
            tail.append(*text, 0, lowerBound ? text->find(',', central) + 1 : text->size());
            if (lowerBound) {
                tail += ',';
            }
        } else {
            appendExact(tail, t.low);
            tail += ',';
            appendExact(tail, t.central);
            tail += ',';
            if (!lowerBound) {
                appendExact(tail, t.high);
            }
            tail += ',';
        }
        appendCsvField(tail, methodSummary(*r.estimate, false));
        const auto& rec = std::get<ModelRecord>(*r.record);
        if (rec.reported && rec.reported->trainingFlop) {
            appendExact(reported, rec.reported->trainingFlop->central());
        }
    } else {
        tail = ",,,";
    }
    tail += ',';
    std::string& prefix = cache.prefix;
    prefix.clear();
    appendCsvField(prefix, r.id());
    prefix += ',';
    appendCsvField(prefix, r.isCluster() ? std::get<ClusterRecord>(*r.record).name
                                         : std::get<ModelRecord>(*r.record).name);
    prefix += ',';
    const std::size_t prefixSize = prefix.size();
    for (std::size_t di = 0; di < r.dates.size(); ++di) {
        const DatedVerdicts& d = r.dates[di];
        prefix.resize(prefixSize);
        prefix += isoDayText(d.asOf);
        prefix += ',';
        if (cache.verdicts.size() <= di) {
            cache.verdicts.resize(di + 1);
        }
        auto& slots = cache.verdicts[di];
        if (slots.size() < d.verdicts.size()) {
            slots.resize(d.verdicts.size());
        }
        // The verdicts whose texts are their policies' (none outside the stream engine's scope).
        const detail::VerdictOrigin* origin =
            detail::kFastPaths ? detail::verdictOrigin(d.verdicts) : nullptr;
        const long day = origin != nullptr ? d.asOf.daysSinceEpoch() : 0;
        for (std::size_t vi = 0; vi < d.verdicts.size(); ++vi) {
            out.put(prefix);
            putVerdict(out, cache, slots[vi], d.verdicts[vi],
                       origin != nullptr ? origin->evaluator : 0,
                       origin != nullptr ? origin->staticNotes[vi] : 0, day);
            if constexpr (!detail::kFastPaths) {
                dest.append(out.view());
                out.clear();
            }
        }
    }
}

std::string csvRows(const ReportOptions& o, const RecordAssessment& r) {
    std::string out;
    appendCsvRows(out, o, r);
    return out;
}

}  // namespace flopledger::inline v1::detail
