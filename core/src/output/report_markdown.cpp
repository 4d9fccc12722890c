// The Markdown memo: a summary table of records and verdicts, then one section per record
// (report_detail.hpp).
#include "base/double_text.hpp"
#include "output/control_chars.hpp"
#include "output/report_detail.hpp"

#include <flopledger/provenance.hpp>

#include "base/number_text.hpp"
#include "output/output_memo.hpp"
#include "output/report_fragment.hpp"
#include "output/report_spill.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>

namespace flopledger::inline v1::detail {
namespace {

// Characters mdEscape changes: 1 gets a backslash in front, 2 becomes a space, 3 (controls such
// as ESC and BEL) its visible control picture.
constexpr std::array<unsigned char, 256> kMdSpecial = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned char c : std::string_view("|*_`[]<>\\")) {
        t[c] = 1;
    }
    t['\n'] = 2;
    t['\r'] = 2;
    for (unsigned c = 0; c < 256; ++c) {
        if (detail::unsafeControl(static_cast<unsigned char>(c))) t[c] = 3;
    }
    return t;
}();

void appendMdEscaped(std::string& out, std::string_view s) {
    // Plain runs in one append each (notes are long and rarely need escaping).
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char kind = kMdSpecial[static_cast<unsigned char>(s[i])];
        if (kind == 0) {
            continue;
        }
        out.append(s.data() + start, i - start);
        if (kind == 1) {
            out += '\\';
            out += s[i];
        } else if (kind == 3) {
            detail::appendControlPicture(out, static_cast<unsigned char>(s[i]));
        } else {
            out += ' ';
        }
        start = i + 1;
    }
    out.append(s.data() + start, s.size() - start);
}

std::string mdEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    appendMdEscaped(out, s);
    return out;
}

class MarkdownWriter : public CoreReportWriter {
public:
    MarkdownWriter(const ReportOptions& o, std::ostream& out, std::size_t spillThreshold)
        : o_(o), out_(out), summary_(spillThreshold), sections_(spillThreshold) {}

    const RecordRenderer& renderer() const override { return renderer_; }
    // A fragment holds per record its summary lines and its section (tag 'S', two fields),
    // after the policy columns it was rendered with (tag 'P') when the options name none.
    void add(const ReportFragment& fragment) override {
        if (!haveFirst_ && !o_.policies.empty()) {
            policies_ = o_.policies;
            haveFirst_ = true;
        }
        PreparedReader in(FragmentAccess::bytes(fragment));
        while (!in.done()) {
            const char tag = in.tag();
            if (tag == 'P') {
                auto policies = readPolicies(in);
                if (!haveFirst_) {
                    policies_ = std::move(policies);
                    haveFirst_ = true;
                }
            } else if (tag == 'S') {
                summary_.append(in.field());
                sections_.append(in.field());
            } else {
                throw std::logic_error("ReportWriter::add: not a Markdown report's fragment");
            }
        }
    }

private:
    struct SummaryRow {
        std::string id, asOf, total, range, method, verdicts;
    };
    struct MdVerdict {
        bool valid = false;
        std::string policy, legalStatus;
        bool inForce = false;
        std::vector<std::string> missing, notes;
        std::string policyCell, legalCell, remarks;
        bool thresholdValid = false;
        detail::SmallInt threshold;
        std::string comparator, thresholdCell;
    };
    // Cells reused across records when their inputs are equal, and values formatted once per
    // record.
    struct Caches {
        std::vector<std::vector<MdVerdict>> cells;  // [date][verdict]
        std::vector<std::pair<detail::SmallInt, std::string>> sciTexts;
        std::vector<std::pair<std::pair<std::uint64_t, bool>, std::string>> numberTexts;
        std::string scratch;
    };

    class Renderer : public RecordRenderer {
    public:
        explicit Renderer(const MarkdownWriter& w) : w_(w) {}
        void render(ReportFragment& into, const RecordAssessment& r) const override {
            // The formatting caches are per thread (output_memo.hpp); they belong to one writer
            // at a time, since their cells depend on the options.
            Caches& caches = threadMemo<Caches>(w_.id_);
            std::string& out = FragmentAccess::bytes(into);
            std::string summary, section;
            if (w_.o_.policies.empty()) {
                const auto policies = policiesOf(w_.o_, &r);
                putPolicies(out, policies);
                w_.render(r, policies, caches, summary, section);
            } else {
                w_.render(r, w_.o_.policies, caches, summary, section);
            }
            out += 'S';
            putField(out, summary);
            putField(out, section);
        }

    private:
        const MarkdownWriter& w_;
    };

    // Contract 7.3-7.5: the reason, the lower bound's disclosed status and crossing, and the
    // assumptions a verdict relies on.
    std::string explained(const Verdict& v) const {
        std::string out;
        if (!v.reason.empty()) {
            out += "- " + mdEscape(v.policy) + ": " + mdEscape(v.reason);
            if (v.lowerBound && v.disclosedStatus) {
                out += "; lower bound, " + std::string(toString(*v.disclosedStatus)) +
                       " on disclosed compute";
                if (v.crossingFlop) {
                    const std::string ratio =
                        detail::generalText(v.crossingRatio ? *v.crossingRatio : 0.0, 3);
                    out += ", crossing needs " + sci(*v.crossingFlop, o_.digits) + " FLOP more (" +
                           ratio + " x the disclosed count)";
                }
            }
            out += "\n";
        }
        for (const auto& a : v.assumptions) {
            out += "- " + mdEscape(v.policy) + " assumes: " + mdEscape(a) + "\n";
        }
        return out;
    }

    // The record's heading and estimate (stages, provenance, reported figure); its summary row.
    SummaryRow renderEstimate(const RecordAssessment& r, std::ostringstream& s) const {
        std::string name;
        std::string developer;
        if (r.isCluster()) {
            name = std::get<ClusterRecord>(*r.record).name;
        } else {
            const auto& m = std::get<ModelRecord>(*r.record);
            name = m.name;
            developer = m.developer;
        }
        s << "### " << mdEscape(r.id());
        if (!name.empty() && name != r.id()) {
            s << " — " << mdEscape(name);
        }
        if (!developer.empty()) {
            s << " (" << mdEscape(developer) << ")";
        }
        s << "\n\n";
        SummaryRow row;
        row.id = r.id();
        if (r.estimate) {
            const ModelEstimate& e = *r.estimate;
            row.total = totalText(e, o_.digits);
            row.range = rangeText(e.total, o_.digits);
            row.method = methodSummary(e, false);
            s << "- Training compute, all stages: **" << row.total << " FLOP**";
            if (incomplete(e)) {
                s << " (a stage could not be estimated and counts as 0)";
            }
            if (!e.total.isPoint()) {
                s << " (range " << sci(e.total.low, o_.digits) << " to "
                  << sci(e.total.high, o_.digits) << ")";
            }
            if (const auto rep = compareReported(std::get<ModelRecord>(*r.record), e)) {
                const std::string ratio = detail::generalText(rep->ratio, 4);
                s << "\n- Developer reported: " << sci(rep->trainingFlop, o_.digits)
                  << " FLOP; total / reported = " << ratio;
                if (!rep->explanation.empty()) {
                    s << " (" << mdEscape(rep->explanation) << ")";
                }
            }
            s << "\n- Method: " << row.method << " (convention " << toString(e.convention)
              << ")\n\n";
            s << "| stage | method | FLOP | range |\n|---|---|---|---|\n";
            const auto& rec = std::get<ModelRecord>(*r.record);
            for (std::size_t si = 0; si < e.stages.size(); ++si) {
                const auto& st = e.stages[si];
                s << "| " << toString(st.kind);
                if (!st.label.empty()) {
                    s << " (" << mdEscape(st.label) << ")";
                }
                s << " | " << (st.method ? toString(*st.method) : std::string_view("none"));
                // Contract 7.1: who produced the value.
                const StageProvenance prov = stageProvenance(rec, e, si);
                if (st.method && prov.origin == Origin::ThirdParty) {
                    s << " (third-party: " << mdEscape(prov.estimator)
                      << (prov.confidence.empty() ? "" : ", " + mdEscape(prov.confidence)) << ")";
                } else if (st.method && prov.origin == Origin::Reported) {
                    s << " (reported)";
                }
                s << " | " << sci(st.flop.central, o_.digits) << " | "
                  << rangeText(st.flop, o_.digits) << " |\n";
            }
            s << "\n";
        }
        return row;
    }

    // One date's verdict table and remarks.
    void renderVerdicts(const DatedVerdicts& d, std::size_t di, Caches& caches,
                        std::ostringstream& s) const {
        s << "| policy | verdict | counted FLOP | threshold | margin (log10) | P(exceeds) "
             "| legal status |\n|---|---|---|---|---|---|---|\n";
        // The policy-dependent cells and remarks are kept per date and verdict position
        // and reused when their inputs are equal; values repeated within a record (counted
        // FLOP, margins) are formatted once per record.
        if (caches.cells.size() <= di) {
            caches.cells.resize(di + 1);
        }
        auto& slots = caches.cells[di];
        if (slots.size() < d.verdicts.size()) {
            slots.resize(d.verdicts.size());
        }
        std::string rows;
        std::string remarks;
        for (std::size_t vi = 0; vi < d.verdicts.size(); ++vi) {
            const Verdict& v = d.verdicts[vi];
            MdVerdict& c = slots[vi];
            if constexpr (!kFastPaths) c.valid = false;  // no memo: every cell rebuilt
            if (!c.valid || c.policy != v.policy || c.legalStatus != v.legalStatus ||
                c.inForce != v.inForce || c.missing != v.missing || c.notes != v.notes) {
                c.valid = false;  // (until every cell is rebuilt)
                c.policy = v.policy;
                c.legalStatus = v.legalStatus;
                c.inForce = v.inForce;
                c.missing = v.missing;
                c.notes = v.notes;
                c.policyCell = "| " + mdEscape(v.policy) + " | ";
                c.legalCell =
                    " | " + mdEscape(v.legalStatus) + (v.inForce ? "" : " (not in force)") + " |\n";
                c.remarks.clear();
                if (!v.missing.empty()) {
                    c.remarks += "- **" + mdEscape(v.policy) + "** needs " +
                                 mdEscape(joined(v.missing, ", ")) + "\n";
                }
                for (const auto& n : v.notes) {
                    c.remarks += "- " + mdEscape(v.policy) + ": " + mdEscape(n) + "\n";
                }
                c.thresholdValid = false;
            }
            c.valid = true;
            rows += c.policyCell;
            if (v.status == VerdictStatus::Exceeds) {
                rows += "**exceeds**";
            } else {
                rows += toString(v.status);
            }
            rows += " | ";
            if (v.countedFlop) {
                if (v.lowerBound && v.assumptions.empty()) {
                    rows += ">=";
                }
                rows += sciOnce(caches, v.countedFlop->central);
            } else {
                rows += '-';
            }
            rows += " | ";
            if (v.threshold) {
                detail::SmallInt t;
                if (detail::smallInt(*v.threshold, t)) {
                    if (!c.thresholdValid || !(c.threshold == t) || c.comparator != v.comparator) {
                        c.thresholdValid = false;
                        c.threshold = t;
                        c.comparator = v.comparator;
                        c.thresholdCell = v.comparator + " " + sci(*v.threshold, o_.digits);
                        c.thresholdValid = true;
                    }
                    rows += c.thresholdCell;
                } else {
                    rows += v.comparator + " " + sci(*v.threshold, o_.digits);
                }
            } else {
                rows += '-';
            }
            rows += " | ";
            rows += v.marginLog10 ? numberOnce(caches, *v.marginLog10, false) : std::string("-");
            rows += " | ";
            rows += v.probability ? numberOnce(caches, *v.probability, true) : std::string("-");
            rows += c.legalCell;
            remarks += c.remarks;
            remarks += explained(v);
        }
        s << rows << "\n" << remarks;
        if (!remarks.empty()) {
            s << "\n";
        }
    }

    // The record's summary lines and section (final Markdown bytes).
    void render(const RecordAssessment& r, const std::vector<PolicySummary>& policies,
                Caches& caches, std::string& summary, std::string& section) const {
        std::ostringstream s;
        const SummaryRow row = renderEstimate(r, s);
        caches.sciTexts.clear();
        caches.numberTexts.clear();
        for (std::size_t di = 0; di < r.dates.size(); ++di) {
            const DatedVerdicts& d = r.dates[di];
            if (o_.asOf.size() > 1) {
                s << "As of " << d.asOf.toIsoDay() << ":\n\n";
            }
            // Contract 7.4: a record released after the date is listed apart, not assessed.
            if (!d.verdicts.empty() &&
                std::all_of(d.verdicts.begin(), d.verdicts.end(), [](const Verdict& v) {
                    return v.status == VerdictStatus::NotReleased;
                })) {
                const auto& m = std::get<ModelRecord>(*r.record);
                s << "Not released as of " << d.asOf.toIsoDay() << " (released "
                  << (m.released ? m.released->toString() : "?") << "): not assessed.\n\n";
                continue;
            }
            renderVerdicts(d, di, caches, s);
            SummaryRow dated = row;
            dated.asOf = d.asOf.toIsoDay();
            for (const auto& p : policies) {
                dated.verdicts.push_back(verdictSymbol(findVerdict(d, p.id)));
            }
            putSummary(summary, dated);
        }
        if (!o_.evaluate) {
            putSummary(summary, row);
        }
        if (r.estimate && !r.estimate->warnings.empty()) {
            s << "Assumptions and warnings:\n\n";
            for (const auto& w : r.estimate->warnings) {
                s << "- " << mdEscape(warningText(w)) << "\n";
            }
            s << "\n";
        }
        section = s.str();
    }

public:
    void finish() override {
        out_ << "# " << mdEscape(o_.evaluate ? o_.title : "FLOP Ledger estimate") << "\n\n";
        if (o_.evaluate && !o_.asOf.empty()) {
            out_ << "As of " << datesText(o_.asOf) << ". ";
        }
        out_ << "Convention: " << toString(o_.convention) << ". FLOP values are rounded to "
             << o_.digits << " significant digits; exact values are in the JSON output.\n\n";
        out_ << "## Summary\n\n| model |";
        const bool multiDate = o_.asOf.size() > 1;
        if (multiDate) {
            out_ << " as of |";
        }
        out_ << " total FLOP | range | method |";
        for (std::size_t i = 0; i < policies_.size() && o_.evaluate; ++i) {
            out_ << ' ' << columnLetter(i) << " |";
        }
        out_ << "\n|---|";
        if (multiDate) {
            out_ << "---|";
        }
        out_ << "---|---|---|";
        for (std::size_t i = 0; i < policies_.size() && o_.evaluate; ++i) {
            out_ << ":-:|";
        }
        out_ << "\n";
        SpillBuffer::Reader(summary_).copyTo(out_);
        out_ << "\n";
        if (o_.evaluate && !policies_.empty()) {
            out_ << "Verdicts: **X** exceeds (policy in force), **x** exceeds (not in force), "
                    "? indeterminate, . below, - unknown (input missing).\n\n";
            out_ << "## Policies\n\n";
            for (std::size_t i = 0; i < policies_.size(); ++i) {
                const auto& p = policies_[i];
                out_ << "- " << columnLetter(i) << " — `" << p.id << "`: " << mdEscape(p.title);
                if (!p.citation.empty()) {
                    out_ << ". " << mdEscape(p.citation);
                }
                if (!p.url.empty()) {
                    out_ << " <" << p.url << ">";
                }
                out_ << "\n";
            }
            out_ << "\n";
        }
        out_ << "## Models\n\n";
        SpillBuffer::Reader(sections_).copyTo(out_);
        out_.flush();
    }

private:
    // Summary lines need no alignment, so they are stored as their final bytes.
    void putSummary(std::string& out, const SummaryRow& r) const {
        const bool multiDate = o_.asOf.size() > 1;
        std::string s = "| " + mdEscape(r.id) + " |";
        if (multiDate) {
            s += ' ' + r.asOf + " |";
        }
        s += ' ' + r.total + " | " + r.range + " | " + r.method + " |";
        if (o_.evaluate) {
            for (char c : r.verdicts) {
                s += ' ';
                if (c == 'X' || c == 'x') {
                    s += "**";
                    s += c;
                    s += "**";
                } else {
                    s += c;
                }
                s += " |";
            }
        }
        s += '\n';
        out += s;
    }

    // sci(v, digits), once per distinct whole number of the record (by its exact value).
    const std::string& sciOnce(Caches& caches, const Exact& v) const {
        detail::SmallInt key;
        if (!detail::smallInt(v, key)) {
            caches.scratch = sci(v, o_.digits);
            return caches.scratch;
        }
        for (const auto& [k, text] : caches.sciTexts) {
            if (k == key) {
                return text;
            }
        }
        caches.sciTexts.emplace_back(key, sci(v, o_.digits));
        return caches.sciTexts.back().second;
    }
    // marginText or probabilityText, once per distinct double of the record (by its bits).
    const std::string& numberOnce(Caches& caches, double x, bool probability) const {
        if constexpr (!kFastPaths)
            return caches.scratch = probability ? probabilityText(x) : marginText(x);
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        for (const auto& [k, text] : caches.numberTexts) {
            if (k.first == bits && k.second == probability) {
                return text;
            }
        }
        caches.numberTexts.emplace_back(std::make_pair(bits, probability),
                                        probability ? probabilityText(x) : marginText(x));
        return caches.numberTexts.back().second;
    }

    ReportOptions o_;
    std::ostream& out_;
    bool haveFirst_ = false;
    std::vector<PolicySummary> policies_;
    // Unique per writer, never reused (an address could be), so per-thread caches can tell
    // whose they are.
    const std::uint64_t id_ = nextMemoOwner();
    SpillBuffer summary_;   // summary table lines
    SpillBuffer sections_;  // the per-record sections, written after the summary
    Renderer renderer_{*this};
};

}  // namespace

std::unique_ptr<ReportWriter> makeMarkdownWriter(const ReportOptions& o, std::ostream& out,
                                                 std::size_t spillThreshold) {
    return std::make_unique<MarkdownWriter>(o, out, spillThreshold);
}

}  // namespace flopledger::inline v1::detail
