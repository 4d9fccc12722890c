// The contract's JSON output documents (section 5). Field order is fixed and every number is
// formatted deterministically, so identical input gives byte-identical output.
//
// This is the hot path of `assess --format jsonl` (about 10 KB of JSON per record against every
// shipped policy), so objects are written straight into one string instead of being built as a
// DOM first; the layout matches nlohmann::json's dump() (compact, or pretty with an indent).
#include <flopledger/assessment.hpp>
#include <flopledger/provenance.hpp>

#include "base/exact_fast.hpp"
#include "base/number_text.hpp"
#include "output/assessment_json.hpp"
#include "output/copy_bytes.hpp"
#include "output/estimate_runs.hpp"
#include "output/json_memo.hpp"
#include "output/json_writer.hpp"
#include "output/provenance_json.hpp"
#include "policy/verdict_origin.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1 {
namespace {

using namespace detail::jsonout;  // NOLINT(google-build-using-namespace): the writer's pieces

void writeIntervalDirect(Context& c, const Interval& v) {
    Writer& w = c.w;
    w.beginObject();
    w.key("low");
    writeExact(w, c.caches, v.low);
    w.member(",\"central\":");
    writeExact(w, c.caches, v.central);
    w.member(",\"high\":");
    writeExact(w, c.caches, v.high);
    w.endObject();
}

// writeIntervalDirect's bytes, each bound's text made once when bounds are equal (a point
// interval: one number formatted instead of three).
void writeIntervalShared(Context& c, const Interval& v) {
    Writer& w = c.w;
    const bool lowIsCentral = detail::sameExact(v.low, v.central);
    const bool highIsCentral = detail::sameExact(v.high, v.central);
    if (!lowIsCentral && !highIsCentral) {
        writeIntervalDirect(c, v);
        return;
    }
    char buf[48];
    std::size_t len = 0;
    SmallInt x;
    std::string big;
    std::string_view central;
    if (smallInt(v.central, x)) {
        central = std::string_view(buf, formatSmall(x, buf));
    } else if (formatDecimal(v.central, buf, len)) {
        central = std::string_view(buf, len);
    } else if (lowIsCentral && highIsCentral) {
        central = c.caches->exactText(v.central);  // (no other memo entry is made below)
    } else {
        big = c.caches->exactText(v.central);  // (writeExact below may grow the memo)
        central = big;
    }
    w.beginObject();
    w.key("low");
    if (lowIsCentral) {
        w.plainValue(central);
    } else {
        writeExact(w, c.caches, v.low);
    }
    w.member(",\"central\":");
    w.plainValue(central);
    w.member(",\"high\":");
    if (highIsCentral) {
        w.plainValue(central);
    } else {
        writeExact(w, c.caches, v.high);
    }
    w.endObject();
}

// An interval of whole numbers below 2^128 in compact output: its bytes composed from the keys
// (writeIntervalShared's: equal bounds share one formatted number) and written in one piece.
void writeSmallInterval(Writer& w, const SmallInt (&key)[3]) {
    char central[48], low[48], high[48];
    const std::size_t nc = formatSmall(key[1], central);
    const bool lowIsCentral = key[0] == key[1];
    const bool highIsCentral = key[2] == key[1];
    const std::size_t nl = lowIsCentral ? nc : formatSmall(key[0], low);
    const std::size_t nh = highIsCentral ? nc : formatSmall(key[2], high);
    char buf[3 * 48 + 40];
    char* p = buf;
    const auto put = [&p](std::string_view s) {
        detail::copyBytes(p, s.data(), s.size());  // (short pieces: inline)
        p += s.size();
    };
    put("{\"low\":\"");
    put(std::string_view(lowIsCentral ? central : low, nl));
    put("\",\"central\":\"");
    put(std::string_view(central, nc));
    put("\",\"high\":\"");
    put(std::string_view(highIsCentral ? central : high, nh));
    put("\"}");
    w.raw(std::string_view(buf, static_cast<std::size_t>(p - buf)));
}

void writeInterval(Context& c, const Interval& v) {
    SmallInt key[3];
    if (c.caches == nullptr) {
        writeIntervalDirect(c, v);
        return;
    }
    if (!smallInt(v.low, key[0]) || !smallInt(v.central, key[1]) || !smallInt(v.high, key[2])) {
        writeIntervalShared(c, v);
        return;
    }
    IntervalCache& cache = c.caches->intervals;
    if (cache.replay(key, c.w)) {
        return;
    }
    const Writer::Mark m = c.w.mark();
    if (c.w.compact()) {
        writeSmallInterval(c.w, key);
    } else {
        writeIntervalShared(c, v);
    }
    c.w.record(cache.add(key), m);
}

// A lower bound (contract 7.3): "high" is null.
void writeBoundInterval(Context& c, const Interval& v, bool unbounded) {
    if (!unbounded) {
        writeInterval(c, v);
        return;
    }
    Writer& w = c.w;
    w.beginObject();
    w.key("low");
    writeExact(w, c.caches, v.low);
    w.member(",\"central\":");
    writeExact(w, c.caches, v.central);
    w.member(",\"high\":");
    w.null();
    w.endObject();
}

void writeStrings(Writer& w, const std::vector<std::string>& items);

// A verdict's identity (verdict_origin.hpp): origin is the evaluator that filled its title and
// first `statics` notes from its policy, 0 when unknown (the texts are then compared by value).
struct Identity {
    std::uint64_t origin = 0;
    std::size_t statics = 0;
    long day = 0;  // the as-of day: in force and legal status are the policy's on it
};

// stageProvenance's fields for a stage computed by a method (provenance.cpp: origin "computed",
// no source written; the assumptions are the estimator's notes that point into the stage's
// hardware object when the hardware method gave the value) written from the record and the
// estimate as they are, without building the strings (fast path; OFF: stageProvenance).
void writeComputedProvenance(Writer& w, const ModelRecord& r, const ModelEstimate& e,
                             std::size_t i) {
    if (!w.run(estimateRuns().computed, true)) {
        w.key("origin");
        w.plainValue(toString(Origin::Computed));
        w.member(",\"assumptions\":");
    }
    const Stage* st = i < r.stages.size() ? &r.stages[i] : nullptr;
    if (st != nullptr && e.stages[i].method == Method::Hardware && !st->pointer.empty()) {
        constexpr std::string_view tail = "/hardware/";
        const std::string_view head = st->pointer;
        bool any = false;
        for (const Diagnostic& d : e.warnings) {
            const std::string_view at = d.pointer;
            if (d.code == ErrorCode::AssumptionUsed && at.size() >= head.size() + tail.size() &&
                at.substr(0, head.size()) == head && at.substr(head.size(), tail.size()) == tail) {
                if (!any) {
                    w.beginArray();
                    any = true;
                }
                w.value(d.message);
            }
        }
        if (any) {
            w.endArray();
            return;
        }
    }
    w.literal("[]");
}

// Contract 7.1: where the stage's value comes from and the defaults applied to it.
void writeProvenance(Context& c, const ModelRecord& r, const ModelEstimate& e, std::size_t i) {
    Writer& w = c.w;
    const StageEstimate& s = e.stages[i];
    if (c.caches != nullptr && s.method && *s.method != Method::Stated) {
        writeComputedProvenance(w, r, e, i);
        return;
    }
    const StageProvenance p = stageProvenance(r, e, i);
    detail::writeStageOrigin(w, r, s, i, p);
    w.member(",\"assumptions\":");
    writeStrings(w, p.assumptions);
}

void writeWarning(Context& c, const Diagnostic& d) {
    c.w.beginObject();
    c.w.key("code");
    if (c.caches != nullptr) {
        // Code, name and the next key as one run (compact output).
        const std::string_view run = estimateRuns().warning(d.code, !d.pointer.empty());
        if (!run.empty() && c.w.valueRun(run, true)) {
            if (!d.pointer.empty()) {
                c.w.value(d.pointer);
                c.w.member(",\"message\":");
            }
            c.w.value(d.message);
            c.w.endObject();
            return;
        }
    }
    c.w.plainValue(codeText(d.code));  // (codes and names are plain ASCII)
    c.w.member(",\"name\":");
    c.w.plainValue(codeName(d.code));
    if (!d.pointer.empty()) {
        c.w.member(",\"pointer\":");
        c.w.value(d.pointer);
    }
    c.w.member(",\"message\":");
    c.w.value(d.message);
    c.w.endObject();
}

void writeStage(Context& c, const ModelRecord& rec, const ModelEstimate& e, std::size_t i) {
    const StageEstimate& s = e.stages[i];
    Writer& w = c.w;
    w.beginObject();
    w.key("kind");
    const EstimateRuns* runs = c.caches != nullptr ? &estimateRuns() : nullptr;
    const auto kind = static_cast<std::size_t>(s.kind);
    if (!(runs != nullptr && kind < runs->kind.size() && w.valueRun(runs->kind[kind], true))) {
        w.plainValue(toString(s.kind));  // (enum names need no escaping)
        w.member(",\"label\":");
    }
    w.value(s.label);
    const auto method = s.method ? static_cast<std::size_t>(*s.method) : kMethodCount;
    if (!(runs != nullptr && method < runs->method.size() && w.run(runs->method[method], true))) {
        w.member(",\"method\":");
        if (s.method) {
            w.plainValue(toString(*s.method));
        } else {
            w.null();
        }
        w.member(",\"flop\":");
    }
    writeInterval(c, s.flop);
    bool opened = false;  // the "methods" object
    for (int m = 0; m < kMethodCount; ++m) {
        const auto& value = s.methods[static_cast<std::size_t>(m)];
        if (value) {
            const auto k = static_cast<std::size_t>(m);
            if (!(runs != nullptr &&
                  w.keyRun(opened ? runs->nextMethod[k] : runs->firstMethod[k], !opened))) {
                if (!opened) {
                    w.member(",\"methods\":");
                    w.beginObject();
                }
                w.key(toString(static_cast<Method>(m)));
            }
            opened = true;
            writeInterval(c, *value);
        }
    }
    if (!opened) {
        w.member(",\"methods\":");
        w.beginObject();
    }
    w.endObject();
    if (c.breakdown && !s.breakdown.empty()) {
        w.member(",\"breakdown\":");
        w.beginObject();
        for (const Component& comp : s.breakdown) {
            w.key(comp.name);
            writeIntervalDirect(c, comp.flop);
        }
        w.endObject();
    }
    if (s.impliedUtilization) {
        w.member(",\"implied_utilization\":");
        writeInterval(c, *s.impliedUtilization);
    }
    if (s.recomputeFlop) {
        w.member(",\"recompute_flop\":");
        writeInterval(c, *s.recomputeFlop);
    }
    if (s.kind == StageKind::SyntheticData && s.declaredPublic) {
        w.member(",\"public\":");
        w.value(*s.declaredPublic);
    }
    writeProvenance(c, rec, e, i);
    w.endObject();
}

// The estimate fields; the caller closes the object (assess appends its fields first).
void writeEstimateFields(Context& c, const RecordAssessment& r) {
    Writer& w = c.w;
    w.beginObject();
    w.key("id");
    w.value(r.id());
    if (r.isCluster()) {
        w.member(",\"name\":");
        w.value(std::get<ClusterRecord>(*r.record).name);
        w.member(",\"type\":");
        w.value("cluster");
        return;
    }
    const ModelRecord& model = std::get<ModelRecord>(*r.record);
    w.member(",\"name\":");
    w.value(model.name);
    // Provenance of the record (contract 7.1, extension): which registry layer it came from.
    if (!model.layer.empty()) {
        w.member(",\"layer\":");
        w.value(model.layer);
    }
    if (!r.estimate) {
        return;
    }
    const ModelEstimate& e = *r.estimate;
    const ModelRecord& rec = std::get<ModelRecord>(*r.record);
    w.member(",\"convention\":");
    w.plainValue(toString(e.convention));
    const bool lowerBound =
        e.stages.empty() || std::any_of(e.stages.begin(), e.stages.end(),
                                        [](const StageEstimate& s) { return !s.method; });
    w.member(",\"total\":");
    writeBoundInterval(c, e.total, lowerBound);
    if (lowerBound) {
        w.member(",\"lower_bound\":");
        w.value(true);
    }
    if (const auto rep = compareReported(rec, e)) {
        w.member(",\"reported\":");
        w.beginObject();
        w.key("training_flop");
        writeExact(w, c.caches, rep->trainingFlop);
        w.member(",\"source\":");
        w.value(rep->source);
        w.member(",\"ratio\":");
        writeNumber(w, c.caches, rep->ratio);
        if (!rep->explanation.empty()) {
            w.member(",\"explanation\":");
            w.value(rep->explanation);
        }
        w.endObject();
    }
    w.member(",\"stages\":");
    w.beginArray();
    for (std::size_t i = 0; i < e.stages.size(); ++i) {
        writeStage(c, rec, e, i);
    }
    w.endArray();
    w.member(",\"warnings\":");
    w.beginArray();
    for (const auto& d : e.warnings) {
        writeWarning(c, d);
    }
    w.endArray();
}

void writeStrings(Writer& w, const std::vector<std::string>& items) {
    if (items.empty()) {
        w.literal("[]");  // beginArray() and endArray()'s bytes and state
        return;
    }
    w.beginArray();
    for (const auto& s : items) {
        w.value(s);
    }
    w.endArray();
}

// The verdict's head up to the "status" key.
void writeHead(Writer& w, const Verdict& v) {
    w.beginObject();
    w.key("policy");
    w.value(v.policy);
    w.member(",\"title\":");
    w.value(v.title);
    w.member(",\"in_force\":");
    w.value(v.inForce);
    w.member(",\"legal_status\":");
    w.value(v.legalStatus);
    w.member(",\"status\":");
}

// The threshold, the comparator and the "margin_log10" key.
void writeLimit(Writer& w, const Verdict& v) {
    w.member(",\"threshold\":");
    if (v.threshold) {
        writeExact(w, nullptr, *v.threshold);
    } else {
        w.null();
    }
    w.member(",\"comparator\":");
    w.value(v.comparator);
    w.member(",\"margin_log10\":");
}

// The notes and the end of the verdict.
void writeTail(Writer& w, const Verdict& v) {
    w.member(",\"notes\":");
    writeStrings(w, v.notes);
    w.endObject();
}

// Whether the notes a variant was recorded from are v's. With an identity (the verdict and the
// variant both carry `origin`'s policy's texts at this position) the first `statics` notes are
// the policy's static notes on both sides: only the count and the record's own notes are
// compared.
bool sameNotes(const VerdictCache::Notes& e, const Verdict& v, const Identity& id) {
    if (id.origin == 0 || e.origin != id.origin) {
        return e.notes == v.notes;
    }
    const std::size_t n = v.notes.size();
    if (e.notes.size() != n || id.statics > n) {
        return false;
    }
    return std::equal(v.notes.begin() + static_cast<std::ptrdiff_t>(id.statics), v.notes.end(),
                      e.notes.begin() + static_cast<std::ptrdiff_t>(id.statics));
}

// writeTail through the cache's variants: replayed when one has these notes.
void writeCachedTail(Writer& w, VerdictCache& cache, const Verdict& v, const Identity& id) {
    auto& all = cache.notes;
    const std::size_t last = cache.lastNotes;
    if (all[last].tail.valid && sameNotes(all[last], v, id) && w.replay(all[last].tail)) {
        return;
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (i != last && all[i].tail.valid && sameNotes(all[i], v, id) && w.replay(all[i].tail)) {
            cache.lastNotes = i;
            return;
        }
    }
    // A miss: the variants are replaced in turn.
    const std::size_t slot = cache.nextNotes++ % all.size();
    VerdictCache::Notes& e = all[slot];
    e.tail.valid = false;  // keys first, bytes last: never stale after a failure
    const Writer::Mark m = w.mark();
    writeTail(w, v);
    e.notes = v.notes;
    e.origin = id.origin;
    w.record(e.tail, m);
    cache.lastNotes = slot;
}

void writeDynamic(Context& c, const Verdict& v) {
    Writer& w = c.w;
    w.plainValue(toString(v.status));
    w.member(",\"counted_flop\":");
    if (v.countedFlop) {
        writeBoundInterval(c, *v.countedFlop, v.lowerBound && v.assumptions.empty());
    } else {
        w.null();
    }
}

void writeChance(Context& c, const Verdict& v) {
    Writer& w = c.w;
    if (v.marginLog10) {
        writeNumber(w, c.caches, *v.marginLog10);
    } else {
        w.null();
    }
    w.member(",\"probability\":");
    if (v.probability) {
        writeNumber(w, c.caches, *v.probability);
    } else {
        w.null();
    }
}

// Contract 7.3-7.5: why the verdict came out and what a lower bound would need.
void writeExplainedRest(Context& c, const Verdict& v);

void writeExplained(Context& c, const Verdict& v) {
    Writer& w = c.w;
    w.member(",\"compute_status\":");
    if (v.computeStatus) {
        w.plainValue(toString(*v.computeStatus));
    } else {
        w.null();
    }
    w.member(",\"reason\":");
    w.value(v.reason);
    writeExplainedRest(c, v);
}

// The fields after the reason: the lower bound's and the assumptions.
void writeExplainedRest(Context& c, const Verdict& v) {
    Writer& w = c.w;
    if (v.lowerBound) {
        w.member(",\"lower_bound\":");
        w.value(true);
        w.member(",\"disclosed_status\":");
        if (v.disclosedStatus) {
            w.plainValue(toString(*v.disclosedStatus));
        } else {
            w.null();
        }
        if (v.crossingFlop) {
            w.member(",\"crossing_flop\":");
            writeExact(w, c.caches, *v.crossingFlop);
            w.member(",\"crossing_ratio\":");
            if (v.crossingRatio) {
                writeNumber(w, c.caches, *v.crossingRatio);
            } else {
                w.null();
            }
        }
    }
    w.member(",\"assumptions\":");
    writeStrings(w, v.assumptions);
}

void writeMiddle(Context& c, VerdictCache& cache, const Verdict& v);

void writeVerdict(Context& c, VerdictCache* cache, const Verdict& v, const Identity& id) {
    Writer& w = c.w;
    if (cache == nullptr) {
        writeHead(w, v);
        writeDynamic(c, v);
        writeLimit(w, v);
        writeChance(c, v);
        writeExplained(c, v);
        w.member(",\"missing\":");
        writeStrings(w, v.missing);
        writeTail(w, v);
        return;
    }
    // Each cached run is reused only when every input it was made from is equal; policy,
    // title, in force and legal status are known equal, not compared, when the run and the
    // verdict carry the same evaluator's policy texts at this position for the same as-of day
    // (verdict_origin.hpp).
    const bool known = id.origin != 0 && cache->headOrigin == id.origin && cache->headDay == id.day;
    if (!((known || (cache->inForce == v.inForce && cache->policy == v.policy &&
                     cache->title == v.title && cache->legalStatus == v.legalStatus)) &&
          w.replay(cache->head))) {
        // Keys first, bytes last: a failure in between leaves the run invalid, never stale.
        cache->head.valid = false;
        cache->headOrigin = 0;
        const Writer::Mark m = w.mark();
        writeHead(w, v);
        cache->policy = v.policy;
        cache->title = v.title;
        cache->inForce = v.inForce;
        cache->legalStatus = v.legalStatus;
        cache->headOrigin = id.origin;
        cache->headDay = id.day;
        w.record(cache->head, m);
    }
    writeMiddle(c, *cache, v);
    writeCachedTail(w, *cache, v, id);
}

// The verdict from its status to its missing inputs, the threshold's run from the cache.
// VerdictStatus's values (policy.hpp): the runs below have one for each; a status past them
// (a new one) is written piece by piece.
constexpr VerdictStatus kLastStatus = VerdictStatus::NotReleased;
constexpr std::size_t kStatuses = static_cast<std::size_t>(kLastStatus) + 1;

// Compact runs of constant bytes around a verdict's status and compute status.
struct StatusRuns {
    std::array<std::string, kStatuses> counted;     // "below","counted_flop":
    std::array<std::string, kStatuses + 1> reason;  // ,"compute_status":"below","reason":
};

StatusRuns makeStatusRuns() {
    StatusRuns r;
    for (std::size_t i = 0; i < kStatuses; ++i) {
        const std::string_view name = toString(static_cast<VerdictStatus>(i));
        r.counted[i] = '"' + std::string(name) + "\",\"counted_flop\":";
        r.reason[i + 1] = ",\"compute_status\":\"" + std::string(name) + "\",\"reason\":";
    }
    r.reason[0] = ",\"compute_status\":null,\"reason\":";
    return r;
}

// Built at start-up (toString reads a constant table): no initialisation guard per verdict.
const StatusRuns kStatusRuns = makeStatusRuns();

// writeDynamic and writeExplained with their constant pieces as runs (compact output).
void writeStatusRun(Writer& w, const Verdict& v) {
    const auto i = static_cast<std::size_t>(v.status);
    if (!(i < kStatuses && w.valueRun(kStatusRuns.counted[i], true))) {
        w.plainValue(toString(v.status));
        w.member(",\"counted_flop\":");
    }
}

// writeChance; a decided verdict's probability (0 or 1) with its key as one run.
void writeChanceRuns(Context& c, const Verdict& v) {
    Writer& w = c.w;
    if (v.marginLog10) {
        writeNumber(w, c.caches, *v.marginLog10);
    } else {
        w.null();
    }
    if (v.probability) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &*v.probability, sizeof bits);
        if ((bits == 0 && w.run(",\"probability\":0.0", false)) ||
            (bits == 0x3FF0000000000000ull && w.run(",\"probability\":1.0", false))) {
            return;
        }
    }
    w.member(",\"probability\":");
    if (v.probability) {
        writeNumber(w, c.caches, *v.probability);
    } else {
        w.null();
    }
}

// writeExplained and the missing inputs (the common empty lists as one run).
void writeExplainedRuns(Context& c, const Verdict& v) {
    Writer& w = c.w;
    const std::size_t i = v.computeStatus ? 1 + static_cast<std::size_t>(*v.computeStatus) : 0;
    if (!(i <= kStatuses && w.run(kStatusRuns.reason[i], true))) {
        writeExplained(c, v);
        w.member(",\"missing\":");
        writeStrings(w, v.missing);
        return;
    }
    w.value(v.reason);
    if (!v.lowerBound && v.assumptions.empty() && v.missing.empty() &&
        w.run(",\"assumptions\":[],\"missing\":[]", false)) {
        return;
    }
    writeExplainedRest(c, v);
    w.member(",\"missing\":");
    writeStrings(w, v.missing);
}

void writeMiddle(Context& c, VerdictCache& cache, const Verdict& v) {
    Writer& w = c.w;
    writeStatusRun(w, v);
    if (v.countedFlop) {
        writeBoundInterval(c, *v.countedFlop, v.lowerBound && v.assumptions.empty());
    } else {
        w.null();
    }
    SmallInt threshold;
    const bool small = v.threshold && smallInt(*v.threshold, threshold);
    if (!((small || !v.threshold) && cache.hasThreshold == small &&
          (!small || cache.threshold == threshold) && cache.comparator == v.comparator &&
          w.replay(cache.limit))) {
        cache.limit.valid = false;
        const Writer::Mark m = w.mark();
        writeLimit(w, v);
        if (small || !v.threshold) {  // (a fraction or a huge threshold is not cached)
            cache.hasThreshold = small;
            cache.threshold = threshold;
            cache.comparator = v.comparator;
            w.record(cache.limit, m);
        }
    }
    writeChanceRuns(c, v);
    writeExplainedRuns(c, v);
}

}  // namespace

std::string intervalJson(const Interval& value) {
    std::string out;
    {
        Context c(out, -1);
        writeInterval(c, value);
    }
    return out;
}

void appendEstimateJson(std::string& out, const RecordAssessment& result, int indent,
                        bool breakdown) {
    Context c(out, indent);
    c.breakdown = breakdown;
    writeEstimateFields(c, result);
    c.w.endObject();
}

std::string estimateJson(const RecordAssessment& result, int indent, bool breakdown) {
    std::string out;
    appendEstimateJson(out, result, indent, breakdown);
    return out;
}

std::string assessJson(const RecordAssessment& result, std::size_t dateIndex, int indent) {
    std::string out;
    appendAssessJson(out, result, dateIndex, indent);
    return out;
}

void appendAssessJson(std::string& out, const RecordAssessment& result, std::size_t dateIndex,
                      int indent) {
    Context c(out, indent);
    writeEstimateFields(c, result);
    const DatedVerdicts& d = result.dates.at(dateIndex);
    c.w.member(",\"as_of\":");
    if (c.caches == nullptr) {
        c.w.value(d.asOf.toIsoDay());
    } else {
        ThreadCaches& t = *c.caches;
        if (t.dayText.empty() || t.year != d.asOf.year || t.month != d.asOf.month ||
            t.day != d.asOf.day) {
            t.dayText = d.asOf.toIsoDay();
            t.year = d.asOf.year;
            t.month = d.asOf.month;
            t.day = d.asOf.day;
        }
        c.w.value(t.dayText);
    }
    c.w.member(",\"verdicts\":");
    c.w.beginArray();
    std::vector<VerdictCache>* caches = nullptr;
    if (c.caches != nullptr) {
        auto& all = c.caches->verdicts;
        if (all.size() <= dateIndex) {
            all.resize(dateIndex + 1);
        }
        caches = &all[dateIndex];
        if (caches->size() < d.verdicts.size()) {
            caches->resize(d.verdicts.size());
        }
    }
    // The verdicts whose texts are their policies' (none outside the stream engine's scope).
    const detail::VerdictOrigin* origin =
        caches != nullptr ? detail::verdictOrigin(d.verdicts) : nullptr;
    const long day = origin != nullptr ? d.asOf.daysSinceEpoch() : 0;
    for (std::size_t i = 0; i < d.verdicts.size(); ++i) {
        const Identity id = origin != nullptr
                                ? Identity{origin->evaluator, origin->staticNotes[i], day}
                                : Identity{};
        writeVerdict(c, caches != nullptr ? &(*caches)[i] : nullptr, d.verdicts[i], id);
    }
    c.w.endArray();
    c.w.endObject();
}

std::string jsonArrayElement(const std::string& prettyObject) {
    std::string out;
    out.reserve(prettyObject.size() + prettyObject.size() / 8 + 2);
    out += "  ";
    std::size_t run = 0;
    for (std::size_t i = 0; i < prettyObject.size(); ++i) {
        if (prettyObject[i] == '\n') {
            out.append(prettyObject, run, i + 1 - run);
            out += "  ";
            run = i + 1;
        }
    }
    out.append(prettyObject, run, std::string::npos);
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
            appendEstimateJson(out, r, -1);
            out += '\n';
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            appendAssessJson(out, r, i, -1);
            out += '\n';
        }
    }
    return out;
}

}  // namespace flopledger::inline v1