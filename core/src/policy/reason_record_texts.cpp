// One record's compute-leaf texts (reason_record_texts.hpp).
#include "policy/reason_record_texts.hpp"

#include <flopledger/verdict_explain.hpp>

#include <cstring>

namespace flopledger::inline v1::detail {
namespace {

void appendNumber(RecordTexts& r, std::string& t, const SmallInt& x) {
    for (std::size_t k = 0; k < r.numbersUsed; ++k) {
        const RecordTexts::Number& n = r.numbers[k];
        if (n.value == x) {
            t.append(n.text, n.size);
            return;
        }
    }
    char buf[kScientific3Size];
    const std::size_t size = scientific3(x, buf);
    t.append(buf, size);
    if (r.numbersUsed == r.numbers.size()) return;
    RecordTexts::Number& n = r.numbers[r.numbersUsed++];
    n.value = x;
    n.size = static_cast<std::uint8_t>(size);
    std::memcpy(n.text, buf, size);
}

// The figure's parts as whole numbers below 2^128 (high and central unread when unbounded);
// false when a part is not one.
bool smallParts(const Interval& value, bool unb, RecordTexts::Figure& x) {
    if (!smallInt(value.low, x.low)) return false;
    return unb || (smallInt(value.high, x.high) && smallInt(value.central, x.central));
}

int wordOf(Metric m) {
    return m == Metric::LargestStageCompute ? 2 : m == Metric::ModificationCompute ? 3 : 1;
}

// The record's figure made from the same parts, or -1.
int sameFigure(const RecordTexts& r, const RecordTexts::Figure& x) {
    for (std::size_t k = 0; k < r.figuresUsed; ++k) {
        const RecordTexts::Figure& y = r.figures[k];
        if (y.word == x.word && y.unbounded == x.unbounded && y.low == x.low &&
            (x.unbounded || (y.high == x.high && y.central == x.central)))
            return static_cast<int>(k);
    }
    return -1;
}

// appendComputeLeafFigure's text from the figure's whole parts (each number formatted once per
// record).
void appendFigure(RecordTexts& r, RecordTexts::Figure& x) {
    std::string& t = x.text;
    if (x.word == 2)
        t.append("largest stage ", 14);
    else if (x.word == 3)
        t.append("modification compute ", 21);
    else
        t.append("counted ", 8);
    if (x.unbounded) {
        t.append(">= ", 3);
        appendNumber(r, t, x.low);
    } else if (x.low == x.high) {
        appendNumber(r, t, x.central);
    } else {
        appendNumber(r, t, x.low);
        t.append(" to ", 4);
        appendNumber(r, t, x.high);
    }
    t.append(" FLOP ", 6);
}

}  // namespace

const std::string& noParentText() {
    static const std::string text = "not a modification of another model (no parent)";
    return text;
}

const std::string* missingInputText(const ReasonInputs& in, const Condition& c) {
    static const std::string noRevenue = "developer revenue not given";
    static const std::string noBio = "no biological modality (biological sequence share read as 0)";
    static const std::string bioNotGiven = "biological sequence share not given";
    static const std::string noCost = "compute cost not given";
    const ModelRecord& r = in.record;
    switch (c.metric) {
        case Metric::DeveloperRevenue:
            return r.developerRevenueUsd ? nullptr : &noRevenue;
        case Metric::BioSequenceShare:
            if (r.bioSequenceShare) return nullptr;
            return textOnlyForBio(r) ? &noBio : &bioNotGiven;
        case Metric::ComputeCost: {
            // No stage has a cost: "not given" when the scope counts a stage (each one without
            // a cost) or there is no stage.
            for (const StageEstimate& se : in.estimate.stages)
                if (se.costUsd) return nullptr;
            if (r.stages.empty()) return &noCost;
            const CountingScope& sc = leafScope(in.policy, c);
            for (const StageEstimate& se : in.estimate.stages)
                if (sc.includes(se)) return &noCost;
            return nullptr;
        }
        default:
            return nullptr;
    }
}

const std::string* figureRelationText(const ReasonInputs& in, const Verdict& v, bool unbounded,
                                      TreeTexts::NodeInfo& info, const Condition& c, Tri tr,
                                      bool primary) {
    if (info.figureKey < 0 || (primary && !v.countedFlop)) return nullptr;
    TreeTexts& tt = treeTexts();
    const bool unbKey = primary && unbounded;
    TreeTexts::FigureSlot& fig = tt.figureOf(info.figureKey, unbKey);
    if (fig.epoch != tt.epoch()) {
        RecordTexts& r = recordTexts();
        if (r.figuresUsed == r.figures.size()) return nullptr;
        RecordTexts::Figure& x = r.figures[r.figuresUsed];
        const Interval* value = &*v.countedFlop;
        x.unbounded = unbKey;
        if (!primary) {
            const ReasonCache::Counted& k =
                in.cache->countedOf(in.record, in.estimate, leafScope(in.policy, c));
            x.unbounded = k.unbounded;
            value = &k.value;
        }
        x.text.clear();
        if (smallParts(*value, x.unbounded, x)) {
            x.word = wordOf(c.metric);
            if (const int same = sameFigure(r, x); same >= 0) {
                fig = {tt.epoch(), same, x.unbounded};  // (x stays unused)
            } else {
                appendFigure(r, x);
                fig = {tt.epoch(), static_cast<int>(r.figuresUsed++), x.unbounded};
            }
        } else {
            x.word = 0;
            appendComputeLeafFigure(x.text, c, *value, x.unbounded, nullptr);
            fig = {tt.epoch(), static_cast<int>(r.figuresUsed++), x.unbounded};
        }
    }
    const auto f = static_cast<std::size_t>(fig.index);
    TreeTexts::Relation& relation = tt.relation(info, tr, fig.unbounded, c, v);
    std::pair<std::uint64_t, const std::string*>& joined = relation.joined[f];
    if (joined.first == tt.epoch()) return joined.second;
    RecordTexts& r = recordTexts();
    if (r.joinedUsed == r.joined.size()) return nullptr;
    std::string& text = r.joined[r.joinedUsed++];
    text.assign(r.figures[f].text);
    text += relation.text;
    joined = {tt.epoch(), &text};
    return &text;
}

}  // namespace flopledger::inline v1::detail
