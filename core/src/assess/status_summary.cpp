// Per-policy summaries of assessment results: who is in which status, warnings by code.
#include <flopledger/diagnostic.hpp>
#include <flopledger/status_summary.hpp>

#include "base/number_text.hpp"

#include <algorithm>
#include <array>

namespace flopledger::inline v1 {
namespace {

constexpr std::array<std::string_view, kSummaryStatusCount> kStatusNames = {
    "exceeds", "indeterminate", "below", "unknown", "not-released"};

bool lowerBound(const ModelEstimate& e) {
    return std::any_of(e.stages.begin(), e.stages.end(),
                       [](const StageEstimate& s) { return !s.method; });
}

std::string figure(const Interval& v, bool bound, int digits) {
    if (bound && v.high == 0) {
        return "unknown";
    }
    // Whole counts below 2^128 without big-integer division (the same text; a quarter of the
    // text report's time on an uncertain registry went to formatScientific here).
    std::string text;
    if (!detail::formatScientificSmall(v.central, digits, text)) {
        text = formatScientific(v.central, digits);
    }
    return bound ? ">=" + text : text;
}

SummaryStatus fromVerdict(VerdictStatus s) {
    switch (s) {
        case VerdictStatus::Exceeds:
            return SummaryStatus::Exceeds;
        case VerdictStatus::Indeterminate:
            return SummaryStatus::Indeterminate;
        case VerdictStatus::Below:
            return SummaryStatus::Below;
        case VerdictStatus::NotReleased:
            return SummaryStatus::NotReleased;
        case VerdictStatus::Unknown:
            break;
    }
    return SummaryStatus::Unknown;
}

// Words of `items` joined by ", " and wrapped at `width` after `indent` spaces. Built in place:
// the "Models by status" lists name every record, so temporaries per word add up.
// items[which[i]] for each i (the ids of a status group, without copying them).
std::string wrapList(const std::vector<std::string>& items, const std::vector<std::size_t>& which,
                     std::size_t indent, std::size_t width) {
    std::string out;
    std::string line(indent, ' ');
    bool first = true;
    for (std::size_t i = 0; i < which.size(); ++i) {
        const std::string& item = items[which[i]];
        const bool comma = i + 1 < which.size();
        const std::size_t wordSize = item.size() + (comma ? 1 : 0);
        if (!first && line.size() + 1 + wordSize > width) {
            out += line;
            out += '\n';
            line.assign(indent, ' ');
            first = true;
        }
        if (!first) line += ' ';
        line += item;
        if (comma) line += ',';
        first = false;
    }
    if (!first) {
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace

std::string_view toString(SummaryStatus s) {
    return kStatusNames[static_cast<std::size_t>(s)];
}

StatusFilter StatusFilter::parse(const std::vector<std::string>& names, bool inForceOnly) {
    StatusFilter f;
    f.inForceOnly = inForceOnly;
    std::vector<std::string_view> all(kStatusNames.begin(), kStatusNames.end());
    for (const auto& n : names) {
        auto it = std::find(all.begin(), all.end(), n);
        if (it == all.end()) {
            std::string hint = didYouMean(n, all);
            throw InputError(ErrorCode::Usage,
                             "--only '" + n +
                                 "' is not a status (exceeds, indeterminate, below, "
                                 "unknown, not-released)" +
                                 (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
        }
        f.statuses |= 1u << static_cast<unsigned>(it - all.begin());
    }
    return f;
}

StatusLine statusLine(const RecordAssessment& r, const std::vector<PolicySummary>& policies,
                      int digits, bool withFigures) {
    StatusLine line;
    line.id = r.id();
    const ModelRecord* model = std::get_if<ModelRecord>(r.record.get());
    const bool bound = r.estimate && lowerBound(*r.estimate);
    if (r.estimate) {
        if (withFigures) {
            line.total = figure(r.estimate->total, bound, digits);
        }
        for (const auto& w : r.estimate->warnings) {
            line.warningCodes.push_back(codeText(w.code));
        }
    }
    for (const auto& d : r.dates) {
        std::vector<StatusCell> row(policies.size());
        for (std::size_t p = 0; p < policies.size(); ++p) {
            // Verdicts come in the policies' order: the same position first.
            auto v =
                p < d.verdicts.size() && d.verdicts[p].policy == policies[p].id
                    ? d.verdicts.begin() + static_cast<std::ptrdiff_t>(p)
                    : std::find_if(d.verdicts.begin(), d.verdicts.end(),
                                   [&](const Verdict& x) { return x.policy == policies[p].id; });
            if (v == d.verdicts.end()) {
                continue;
            }
            StatusCell& c = row[p];
            c.applies = true;
            c.inForce = v->inForce;
            c.status = fromVerdict(v->status);
            if (model != nullptr && model->released && d.asOf < *model->released) {
                c.status = SummaryStatus::NotReleased;
            }
            if (!withFigures) {
                continue;
            }
            if (v->countedFlop) {
                c.counted = figure(*v->countedFlop, bound, digits);
            } else if (v->status == VerdictStatus::Unknown) {
                c.counted = "unknown";
            }
        }
        line.cells.push_back(std::move(row));
    }
    return line;
}

bool passes(const StatusLine& line, const StatusFilter& filter) {
    if (!filter.active()) {
        return true;
    }
    for (const auto& row : line.cells) {
        for (const auto& c : row) {
            if (c.applies && filter.wants(c.status) && (!filter.inForceOnly || c.inForce)) {
                return true;
            }
        }
    }
    return false;
}

StatusSummary::StatusSummary(std::vector<PolicySummary> policies, std::vector<Date> dates,
                             StatusFilter filter)
    : policies_(std::move(policies)),
      dates_(std::move(dates)),
      filter_(filter),
      keepFigures_(filter.active()) {}

void StatusSummary::add(StatusLine line) {
    for (const auto& code : line.warningCodes) {
        ++warnings_[code];
    }
    ids_.push_back(std::move(line.id));
    for (std::size_t d = 0; d < dates_.size(); ++d) {
        for (std::size_t p = 0; p < policies_.size(); ++p) {
            const bool present = d < line.cells.size() && p < line.cells[d].size();
            std::uint8_t packed = 0;
            if (present && line.cells[d][p].applies) {
                const StatusCell& c = line.cells[d][p];
                packed = static_cast<std::uint8_t>(1u | (c.inForce ? 2u : 0u) |
                                                   (static_cast<unsigned>(c.status) << 2));
            }
            cells_.push_back(packed);
            if (keepFigures_) {
                counted_.push_back(present ? std::move(line.cells[d][p].counted) : std::string());
            }
        }
    }
}

StatusSummary::Cell StatusSummary::cell(std::size_t line, std::size_t d, std::size_t p) const {
    const std::uint8_t b = cells_[(line * dates_.size() + d) * policies_.size() + p];
    return {(b & 1u) != 0, (b & 2u) != 0, static_cast<SummaryStatus>(b >> 2)};
}

const std::string& StatusSummary::counted(std::size_t line, std::size_t d, std::size_t p) const {
    static const std::string none;
    return keepFigures_ ? counted_[(line * dates_.size() + d) * policies_.size() + p] : none;
}

std::size_t StatusSummary::count(std::size_t d, std::size_t p, SummaryStatus status) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        const Cell c = cell(i, d, p);
        if (c.applies && c.status == status) {
            ++n;
        }
    }
    return n;
}

std::string StatusSummary::text(std::size_t width, bool withFigures) const {
    std::string out;
    for (std::size_t d = 0; d < dates_.size(); ++d) {
        for (std::size_t p = 0; p < policies_.size(); ++p) {
            const PolicySummary& pol = policies_[p];
            bool inForce = false;
            bool any = false;
            std::array<std::vector<std::size_t>, kSummaryStatusCount> groups;
            for (std::size_t i = 0; i < ids_.size(); ++i) {
                const Cell c = cell(i, d, p);
                if (!c.applies) {
                    continue;
                }
                inForce = c.inForce;
                any = true;
                groups[static_cast<std::size_t>(c.status)].push_back(i);
            }
            if (!any || (filter_.inForceOnly && !inForce)) {
                continue;
            }
            out += "\n" + pol.id + " as of " + dates_[d].toIsoDay() + " (" +
                   (inForce ? "in force" : "not in force") + "): " + pol.title + "\n";
            if (withFigures) {
                out += "  (each model with the FLOP this policy counts; >= a lower bound)\n";
            }
            for (int s = 0; s < kSummaryStatusCount; ++s) {
                const auto status = static_cast<SummaryStatus>(s);
                const auto& g = groups[static_cast<std::size_t>(s)];
                if (!filter_.wants(status) || (g.empty() && filter_.statuses == 0)) {
                    continue;
                }
                out += "  " + std::string(toString(status)) + " (" + std::to_string(g.size()) +
                       ")" + (g.empty() ? ": none" : ":") + "\n";
                if (withFigures) {
                    // One model a line ("id  figure"); a long list in columns, filled down
                    // first, so that a registry-sized answer still fits a screen.
                    std::vector<std::string> cells;
                    std::size_t nameW = 0, cellW = 0;
                    for (std::size_t i : g) {
                        nameW = std::max(nameW, ids_[i].size());
                    }
                    for (std::size_t i : g) {
                        const std::string& id = ids_[i];
                        const std::string& figure = counted(i, d, p);
                        cells.push_back(id +
                                        (figure.empty()
                                             ? std::string()
                                             : std::string(nameW + 2 - id.size(), ' ') + figure));
                        cellW = std::max(cellW, cells.back().size());
                    }
                    const std::size_t cols =
                        g.size() <= 12 ? 1 : std::max<std::size_t>(1, (width - 4) / (cellW + 3));
                    const std::size_t rows = (cells.size() + cols - 1) / cols;
                    for (std::size_t r = 0; r < rows; ++r) {
                        std::string row = "   ";
                        for (std::size_t c = 0; c < cols && c * rows + r < cells.size(); ++c) {
                            const std::string& cell = cells[c * rows + r];
                            row += " " + cell + std::string(cellW + 2 - cell.size(), ' ');
                        }
                        while (!row.empty() && row.back() == ' ') {
                            row.pop_back();
                        }
                        out += row + "\n";
                    }
                } else {
                    out += wrapList(ids_, g, 4, width);
                }
            }
        }
    }
    return out;
}

std::string StatusSummary::markdown() const {
    std::string out;
    for (std::size_t d = 0; d < dates_.size(); ++d) {
        for (std::size_t p = 0; p < policies_.size(); ++p) {
            const PolicySummary& pol = policies_[p];
            bool inForce = false;
            bool any = false;
            std::array<std::vector<std::string>, kSummaryStatusCount> groups;
            for (std::size_t i = 0; i < ids_.size(); ++i) {
                const Cell c = cell(i, d, p);
                if (!c.applies) {
                    continue;
                }
                inForce = c.inForce;
                any = true;
                groups[static_cast<std::size_t>(c.status)].push_back(ids_[i]);
            }
            if (!any || (filter_.inForceOnly && !inForce)) {
                continue;
            }
            out += "\n### " + pol.title + " (`" + pol.id + "`), as of " + dates_[d].toIsoDay() +
                   ", " + (inForce ? "in force" : "not in force") + "\n\n";
            for (int s = 0; s < kSummaryStatusCount; ++s) {
                const auto status = static_cast<SummaryStatus>(s);
                const auto& g = groups[static_cast<std::size_t>(s)];
                if (!filter_.wants(status) || (g.empty() && filter_.statuses == 0)) {
                    continue;
                }
                out += "- **" + std::string(toString(status)) + "** (" + std::to_string(g.size()) +
                       ")" + (g.empty() ? ": none" : ": ");
                for (std::size_t i = 0; i < g.size(); ++i) {
                    out += (i > 0 ? ", " : "") + std::string("`") + g[i] + "`";
                }
                out += "\n";
            }
        }
    }
    return out;
}

std::string StatusSummary::warningsText() const {
    if (warnings_.empty()) {
        return {};
    }
    std::string out;
    for (const auto& [code, n] : warnings_) {
        std::string name;
        for (ErrorCode c : allErrorCodes()) {
            if (codeText(c) == code) {
                name = std::string(codeName(c));
            }
        }
        out += "  " + code + " x" + std::to_string(n) + (name.empty() ? "" : " " + name) + "\n";
    }
    return out;
}

}  // namespace flopledger
