// The "Models by status" summary of the text and Markdown reports: written to a stream in pieces
// (a registry's lists are tens of megabytes) with the same bytes as the whole string, and
// naming every record exactly once under its status.
#include <catch2/catch.hpp>
#include <flopledger/date.hpp>
#include <flopledger/status_summary.hpp>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

std::string idOf(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "model-%05d", i);
    return buf;
}

// Policy "a" applies to every record: exceeds, below, unknown in turn; "b" to every second
// record only, always below (not in force).
StatusSummary sample(int n, StatusFilter filter = {}) {
    std::vector<PolicySummary> policies = {{"a", "Policy A", "", "", "in-force"},
                                           {"b", "Policy B", "", "", "revoked"}};
    StatusSummary summary(policies, {*Date::parse("2026-06-01")}, filter);
    for (int i = 0; i < n; ++i) {
        StatusLine line;
        line.id = idOf(i);
        std::vector<StatusCell> row(2);
        row[0].applies = true;
        row[0].inForce = true;
        row[0].status = i % 3 == 0   ? SummaryStatus::Exceeds
                        : i % 3 == 1 ? SummaryStatus::Below
                                     : SummaryStatus::Unknown;
        if (i % 2 == 0) {
            row[1].applies = true;
            row[1].status = SummaryStatus::Below;
        }
        line.cells.push_back(row);
        summary.add(std::move(line));
    }
    return summary;
}

std::size_t occurrences(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("status summary: written in pieces, the same bytes as the whole text",
          "[status_summary]") {
    const StatusSummary summary = sample(9000);
    REQUIRE(summary.records() == 9000);
    const std::string whole = summary.text(100, false);
    REQUIRE(whole.size() > (std::size_t{1} << 17));  // several 64 KiB pieces
    std::ostringstream streamed;
    summary.writeText(streamed, 100, false);
    CHECK(streamed.str() == whole);

    std::ostringstream md;
    summary.writeMarkdown(md);
    CHECK(md.str() == summary.markdown());

    // Hand-counted: a third of 9,000 in each status under "a", half of them below under "b".
    CHECK(whole.find("\na as of 2026-06-01 (in force): Policy A\n  exceeds (3000):\n") !=
          std::string::npos);
    CHECK(whole.find("  below (3000):\n") != std::string::npos);
    CHECK(whole.find("  unknown (3000):\n") != std::string::npos);
    CHECK(whole.find("\nb as of 2026-06-01 (not in force): Policy B\n  below (4500):\n") !=
          std::string::npos);
    // Every id once under "a" (and even ones once more under "b"); lines fit the width.
    CHECK(occurrences(whole, idOf(3)) == 1);
    CHECK(occurrences(whole, idOf(4)) == 2);
    CHECK(occurrences(whole, idOf(8999)) == 1);
    std::istringstream lines(whole);
    for (std::string l; std::getline(lines, l);) {
        CHECK(l.size() <= 100);
    }
    // The last id of a list has no comma, the one before it has: under "a", 8997 ends the
    // exceeds list, 8999 the unknown one, just after 8996.
    CHECK(whole.find(idOf(8997) + "\n") != std::string::npos);
    CHECK(whole.find(idOf(8996) + ", " + idOf(8999) + "\n") != std::string::npos);
}

TEST_CASE("status summary: the one-model-a-line answer streams the same bytes too",
          "[status_summary]") {
    StatusFilter exceeds = StatusFilter::parse({"exceeds"}, false);
    const StatusSummary summary = sample(300, exceeds);
    const std::string whole = summary.text(80, true);
    std::ostringstream streamed;
    summary.writeText(streamed, 80, true);
    CHECK(streamed.str() == whole);
    CHECK(whole.find("  exceeds (100):\n") != std::string::npos);
    CHECK(occurrences(whole, idOf(0)) == 1);  // exceeds under "a"
    CHECK(occurrences(whole, idOf(1)) == 0);  // below
}
