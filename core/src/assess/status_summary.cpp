// Per-policy summaries of assessment results: who is in which status, warnings by code.
#include <flopledger/diagnostic.hpp>
#include <flopledger/status_summary.hpp>

#include "base/number_text.hpp"

#include <algorithm>
#include <array>
#include <ostream>

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
    idBytes_ += line.id;
    idEnds_.push_back(idBytes_.size());
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

std::string_view StatusSummary::id(std::size_t line) const {
    const std::size_t begin = line == 0 ? 0 : idEnds_[line - 1];
    return std::string_view(idBytes_).substr(begin, idEnds_[line] - begin);
}

std::size_t StatusSummary::count(std::size_t d, std::size_t p, SummaryStatus status) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < records(); ++i) {
        const Cell c = cell(i, d, p);
        if (c.applies && c.status == status) {
            ++n;
        }
    }
    return n;
}

// Bytes on their way to a stream (or kept, for text() and markdown()): written out in pieces of
// about 64 KiB.
class StatusSummary::Sink {
public:
    explicit Sink(std::ostream* out) : out_(out) {}
    std::string bytes;
    void mayFlush() {
        if (out_ != nullptr && bytes.size() >= (std::size_t{1} << 16)) {
            flush();
        }
    }
    void flush() {
        if (out_ != nullptr && !bytes.empty()) {
            out_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            bytes.clear();
        }
    }

private:
    std::ostream* out_;
};

namespace {

// Per (date, policy): which lines the policy applies to, the last one's in-force flag and the
// number of lines in each status (one pass over the packed cells, no list of line numbers).
struct Column {
    bool any = false;
    bool inForce = false;
    std::array<std::size_t, kSummaryStatusCount> counts{};
};

using Groups = std::array<std::vector<std::size_t>, kSummaryStatusCount>;

// One pass over the (date, policy) column `at`: the packed cell of line i is
// cells[i * stride + at] (applies | inForce << 1 | status << 2, the header's layout). Lines in
// each status go to `groups` when given.
Column scanColumn(const std::vector<std::uint8_t>& cells, std::size_t stride, std::size_t at,
                  std::size_t n, Groups* groups) {
    Column col;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t b = cells[i * stride + at];
        if ((b & 1u) == 0) {
            continue;
        }
        col.inForce = (b & 2u) != 0;
        col.any = true;
        ++col.counts[b >> 2];
        if (groups != nullptr) {
            (*groups)[b >> 2].push_back(i);
        }
    }
    return col;
}

}  // namespace

std::string StatusSummary::text(std::size_t width, bool withFigures) const {
    Sink out(nullptr);
    writeText(out, width, withFigures);
    return std::move(out.bytes);
}

void StatusSummary::writeText(std::ostream& out, std::size_t width, bool withFigures) const {
    Sink sink(&out);
    writeText(sink, width, withFigures);
    sink.flush();
}

void StatusSummary::writeText(Sink& sink, std::size_t width, bool withFigures) const {
    std::string& out = sink.bytes;
    const std::size_t n = records();
    const std::size_t stride = dates_.size() * policies_.size();
    // The lines in each status, in order; reused from one policy to the next.
    Groups groups;
    for (std::size_t d = 0; d < dates_.size(); ++d) {
        for (std::size_t p = 0; p < policies_.size(); ++p) {
            const PolicySummary& pol = policies_[p];
            const std::size_t at = d * policies_.size() + p;
            for (auto& g : groups) {
                g.clear();
            }
            const Column col = scanColumn(cells_, stride, at, n, &groups);
            if (!col.any || (filter_.inForceOnly && !col.inForce)) {
                continue;
            }
            out += "\n" + pol.id + " as of " + dates_[d].toIsoDay() + " (" +
                   (col.inForce ? "in force" : "not in force") + "): " + pol.title + "\n";
            if (withFigures) {
                out += "  (each model with the FLOP this policy counts; >= a lower bound)\n";
            }
            for (int s = 0; s < kSummaryStatusCount; ++s) {
                const auto status = static_cast<SummaryStatus>(s);
                const std::vector<std::size_t>& g = groups[static_cast<std::size_t>(s)];
                const std::size_t count = g.size();
                if (!filter_.wants(status) || (count == 0 && filter_.statuses == 0)) {
                    continue;
                }
                out += "  " + std::string(toString(status)) + " (" + std::to_string(count) + ")" +
                       (count == 0 ? ": none" : ":") + "\n";
                if (withFigures) {
                    // One model a line ("id  figure"); a long list in columns, filled down
                    // first, so that a registry-sized answer still fits a screen.
                    std::vector<std::string> cells;
                    std::size_t nameW = 0, cellW = 0;
                    for (std::size_t i : g) {
                        nameW = std::max(nameW, id(i).size());
                    }
                    for (std::size_t i : g) {
                        const std::string_view name = id(i);
                        const std::string& figure = counted(i, d, p);
                        cells.push_back(std::string(name) +
                                        (figure.empty()
                                             ? std::string()
                                             : std::string(nameW + 2 - name.size(), ' ') + figure));
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
                        sink.mayFlush();
                    }
                    continue;
                }
                // The ids joined by ", " and wrapped at `width` after four spaces, written as
                // they come (the lists name every record).
                constexpr std::size_t indent = 4;
                std::size_t lineSize = 0;  // of the current line, its indent included
                bool first = true;         // no item on the current line yet
                for (std::size_t k = 0; k < count; ++k) {
                    const std::string_view item = id(g[k]);
                    const bool comma = k + 1 < count;
                    const std::size_t wordSize = item.size() + (comma ? 1 : 0);
                    if (!first && lineSize + 1 + wordSize > width) {
                        out += '\n';
                        sink.mayFlush();
                        first = true;
                    }
                    if (first) {
                        out.append(indent, ' ');
                        lineSize = indent;
                    } else {
                        out += ' ';
                        ++lineSize;
                    }
                    out += item;
                    lineSize += item.size();
                    if (comma) {
                        out += ',';
                        ++lineSize;
                    }
                    first = false;
                }
                if (!first) {
                    out += '\n';
                }
                sink.mayFlush();
            }
        }
    }
}

std::string StatusSummary::markdown() const {
    Sink out(nullptr);
    writeMarkdown(out);
    return std::move(out.bytes);
}

void StatusSummary::writeMarkdown(std::ostream& out) const {
    Sink sink(&out);
    writeMarkdown(sink);
    sink.flush();
}

void StatusSummary::writeMarkdown(Sink& sink) const {
    std::string& out = sink.bytes;
    const std::size_t n = records();
    const std::size_t stride = dates_.size() * policies_.size();
    for (std::size_t d = 0; d < dates_.size(); ++d) {
        for (std::size_t p = 0; p < policies_.size(); ++p) {
            const PolicySummary& pol = policies_[p];
            const std::size_t at = d * policies_.size() + p;
            const Column col = scanColumn(cells_, stride, at, n, nullptr);
            if (!col.any || (filter_.inForceOnly && !col.inForce)) {
                continue;
            }
            out += "\n### " + pol.title + " (`" + pol.id + "`), as of " + dates_[d].toIsoDay() +
                   ", " + (col.inForce ? "in force" : "not in force") + "\n\n";
            for (int s = 0; s < kSummaryStatusCount; ++s) {
                const auto status = static_cast<SummaryStatus>(s);
                const std::size_t count = col.counts[static_cast<std::size_t>(s)];
                if (!filter_.wants(status) || (count == 0 && filter_.statuses == 0)) {
                    continue;
                }
                out += "- **" + std::string(toString(status)) + "** (" + std::to_string(count) +
                       ")" + (count == 0 ? ": none" : ": ");
                const auto packed = static_cast<std::uint8_t>(1u | (static_cast<unsigned>(s) << 2));
                bool first = true;
                for (std::size_t i = 0; i < n; ++i) {
                    if ((cells_[i * stride + at] & ~std::uint8_t{2}) != packed) {
                        continue;
                    }
                    out += first ? "`" : ", `";
                    out += id(i);
                    out += '`';
                    first = false;
                    sink.mayFlush();
                }
                out += "\n";
            }
        }
    }
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

}  // namespace flopledger::inline v1
