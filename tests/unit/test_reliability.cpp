// Issue 18 (reliability) in core: the streamed array reader, the effective-compute threshold
// without text round trips, bounded exact comparison, parent checks, the hardware index and the
// bounded did-you-mean. The CLI cases are in tests/cli/reliability.sh.
#include <flopledger/array_splitter.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/registry_checks.hpp>

#include "policy/effective_threshold.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

struct Piece {
    std::string text;
    std::size_t line = 0;
    std::size_t index = 0;
};

// Splits `text` fed in chunks of `chunk` bytes; `ok` is finish()'s verdict.
std::vector<Piece> split(std::string_view text, std::size_t chunk, bool& ok,
                         Diagnostic* error = nullptr) {
    std::vector<Piece> out;
    std::string current;
    RecordArraySplitter s([&](const char* p, std::size_t n) { current.append(p, n); },
                          [&](std::size_t line, std::size_t index) {
                              out.push_back({current, line, index});
                              current.clear();
                              return true;
                          });
    for (std::size_t at = 0; at < text.size(); at += chunk) {
        if (!s.feed(text.substr(at, chunk))) break;
    }
    Diagnostic d;
    ok = s.finish(d);
    if (error) *error = d;
    return out;
}

ThresholdSpec effective(std::string_view halving) {
    ThresholdSpec spec;
    spec.kind = ThresholdKind::EffectiveCompute;
    spec.value = pow10(25);
    spec.halvingMonths = parseExact(halving);
    return spec;
}

}  // namespace

TEST_CASE("the array splitter gives each element, whatever the chunking", "[reliability]") {
    const std::string text =
        "\xEF\xBB\xBF[\n  {\"id\": \"a\", \"s\": \"}]\\\"[\"},\n  {\"id\": \"b\",\n   \"x\": [1, "
        "{}]}\n]\n";
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 1000u}) {
        INFO("chunk " << chunk);
        bool ok = false;
        const auto pieces = split(text, chunk, ok);
        CHECK(ok);
        REQUIRE(pieces.size() == 2);
        CHECK(pieces[0].text == "{\"id\": \"a\", \"s\": \"}]\\\"[\"}");
        CHECK(pieces[0].line == 2);
        CHECK(pieces[1].text == "{\"id\": \"b\",\n   \"x\": [1, {}]}");
        CHECK(pieces[1].line == 3);
        CHECK(pieces[1].index == 1);
    }
}

TEST_CASE("the array splitter reads {\"records\": [...]} and refuses broken arrays",
          "[reliability]") {
    bool ok = false;
    auto pieces = split(R"({"records": [{"id": "a"}, 5, "x"], "schema": {"v": [1]}})", 4, ok);
    CHECK(ok);
    REQUIRE(pieces.size() == 3);
    CHECK(pieces[1].text == "5");
    CHECK(pieces[2].text == "\"x\"");
    CHECK(RecordArraySplitter::splittable("  {\n \"records\": []}"));
    CHECK(RecordArraySplitter::splittable("[]"));
    CHECK_FALSE(RecordArraySplitter::splittable("{\"id\": \"a\", \"records\": []}"));

    Diagnostic d;
    split(R"([{"id": "a"})", 3, ok, &d);
    CHECK_FALSE(ok);
    CHECK(d.code == ErrorCode::JsonSyntax);
    split(R"([{"id": "a"} {"id": "b"}])", 3, ok, &d);
    CHECK_FALSE(ok);
    CHECK(d.message.find("expected ','") != std::string::npos);
    split(R"([{"id": "a"}] x)", 3, ok, &d);
    CHECK_FALSE(ok);
    split(R"({"records": 5})", 3, ok, &d);
    CHECK_FALSE(ok);
    split(R"([,{"id": "a"}])", 3, ok, &d);
    CHECK_FALSE(ok);
    pieces = split("[]", 1, ok);
    CHECK(ok);
    CHECK(pieces.empty());
}

TEST_CASE("the shown effective threshold is exact to 7 digits on any date", "[reliability]") {
    const ThresholdSpec spec = effective("8");
    // 12 months: 1e25 / 2^1.5 = 3.5355339059...e24.
    CHECK(detail::effectiveThresholdShown(spec, 12) == parseExact("3.535534e24"));
    // 3292 months (2300-01-01): 1e25 / 2^411.5 = 1.3370781268e-99 (decimal arithmetic).
    CHECK(detail::effectiveThresholdShown(spec, 3292) ==
          parseExact("1.337078e-99", NumberLimits{-200, 200, 200}));
    // -24295 months (0001-01-01): 1e25 * 2^3036.875 = 1.550487e939.
    CHECK(detail::effectiveThresholdShown(spec, -24295) == Exact(1550487) * pow10(933));
    CHECK(std::isfinite(detail::effectiveThresholdLog10(spec, -24295)));
    CHECK(detail::effectiveThresholdLog10(spec, -24295) == Approx(939.1904).margin(1e-3));
    // Rounding: half-even on the exact value.
    CHECK(detail::roundSignificant(parseExact("12345675"), 7) == parseExact("12345680"));
    CHECK(detail::roundSignificant(parseExact("12345665"), 7) == parseExact("12345660"));
    CHECK(detail::roundSignificant(parseExact("9999999.5"), 7) == parseExact("10000000"));
    CHECK(detail::roundSignificant(parseExact("0.000123456789"), 3) == parseExact("0.000123"));
}

TEST_CASE("the exact effective comparison is bounded and still exact", "[reliability]") {
    const ThresholdSpec spec = effective("8");
    // Far apart: settled by the logarithms (a 187-digit value against a tiny threshold).
    const Exact huge = pow10(59) * parseExact("9.99");
    CHECK(detail::compareEffective(huge, spec, 3292) == 1);
    CHECK(detail::compareEffective(parseExact("1e-30"), spec, -24295) == -1);
    // Equal: settled exactly (8 months: exactly 5e24).
    CHECK(detail::compareEffective(parseExact("5e24"), spec, 8) == 0);
    CHECK(detail::compareEffective(parseExact("5e24") + Exact(1, 1000), spec, 8) == 1);
    // A halving period the policy loader refuses throws instead of running for seconds: a value
    // within 1e-15 of the threshold needs the exact powers (x^999).
    ThresholdSpec fine = effective("1");
    fine.halvingMonths = Exact(999, 1000);
    const Exact close = detail::effectiveThresholdShown(fine, 1, 15);
    CHECK_THROWS(detail::compareEffective(close, fine, 1));
}

TEST_CASE("a policy with halving_months 999/1000 is refused at load", "[reliability]") {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) +
                     "/policies/illustrative-effective-compute-1e25.json");
    std::string policy((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = policy.find("\"halving_months\": \"8\"");
    REQUIRE(at != std::string::npos);
    policy.replace(at, 21, "\"halving_months\": \"999/1000\"");
    const auto problems = PolicyCatalog::validate(policy, "slow.json");
    bool found = false;
    for (const auto& d : problems) {
        found = found || d.message.find("halving_months must be at least 1") != std::string::npos;
    }
    CHECK(found);
}

TEST_CASE("parent cycles, self-parents and unknown parents are diagnosed", "[reliability]") {
    const RecordReader reader;
    auto read = [&](const std::string& text) {
        ReadResult r = reader.readText(text, "r.jsonl");
        REQUIRE(r.ok());
        return checkParents(r.records);
    };
    const std::string stage = R"("stages": [{"kind": "fine-tuning", "flop": "1e20"}])";
    auto ds = read("{\"id\": \"a\", \"parent\": {\"id\": \"b\"}, " + stage + "}\n" +
                   "{\"id\": \"b\", \"parent\": {\"id\": \"c\"}, " + stage + "}\n" +
                   "{\"id\": \"c\", \"parent\": {\"id\": \"b\"}, " + stage + "}\n");
    // b and c are their own ancestors; a only leads into the loop.
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].code == ErrorCode::ParentCycle);
    CHECK(ds[0].message.find("'b' is its own ancestor (b -> c -> b)") != std::string::npos);
    CHECK(ds[0].line == 2);
    CHECK(ds[0].pointer == "/parent/id");
    ds = read("{\"id\": \"s\", \"parent\": {\"id\": \"s\"}, " + stage + "}\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == ErrorCode::ParentCycle);
    ds = read("{\"id\": \"x\", \"parent\": {\"id\": \"gone\"}, " + stage + "}\n" +
              "{\"id\": \"y\", \"parent\": {\"id\": \"gone\", \"training_flop\": \"1e24\"}, " +
              stage + "}\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == ErrorCode::UnknownParent);
    CHECK(ds[0].severity == Severity::Warning);
}

TEST_CASE("hardware lookups are indexed, did-you-mean is bounded", "[reliability]") {
    HardwareCatalog c;
    for (int i = 0; i < 50000; ++i) {
        Accelerator a;
        a.id = "acme-x" + std::to_string(i);
        a.name = a.id;
        c.add(a);
    }
    REQUIRE(c.all().size() == 50000);
    CHECK(c.find("acme-x49999") == &c.all().back());
    CHECK(c.find("acme-x0") == &c.all().front());
    Accelerator replaced;
    replaced.id = "acme-x7";
    replaced.name = "replaced";
    c.add(replaced);
    CHECK(c.all().size() == 50000);
    CHECK(c.find("acme-x7")->name == "replaced");
    CHECK(c.find("acme-y") == nullptr);
    // Suggestions still work on small tables; a 300-character word is not compared at all.
    CHECK(didYouMean("tokns", {"tokens", "flop"}) == "tokens");
    CHECK(didYouMean(std::string(300, 'a'), {std::string(299, 'a')}).empty());
}

TEST_CASE("did-you-mean over a 20,000-entry table computes at most 2,000 edit distances",
          "[reliability]") {
    // Issue 18 item 8: each unknown accelerator cost 0.35 s against a 20,000-entry table. The
    // bound is shown by what it finds, not by a clock: a near match among the first 2,000
    // comparable ids is suggested, one only past them is not (a full scan would find it).
    std::vector<std::string> ids;
    for (int i = 0; i < 19999; ++i) ids.push_back("acme-x" + std::to_string(i));
    ids.push_back("zeta-q-99999");  // one edit from the word below, far from every acme id
    const std::vector<std::string_view> views(ids.begin(), ids.end());
    CHECK(didYouMean("acme-y10", views) == "acme-x10");
    CHECK(didYouMean("acme-y1999", views) == "acme-x1999");  // the 2,000th comparison
    CHECK(didYouMean("zeta-q-99998", views).empty());
    CHECK(didYouMean("zeta-q-99998", {"zeta-q-99999"}) == "zeta-q-99999");
    // Ids whose length differs by more than 3 are skipped before any distance is computed, so
    // they do not use up the bound: the match after 18,000 long ids is still found.
    std::vector<std::string> mixed(18000, std::string(40, 'z'));
    mixed.push_back("nvidia-h100-sxm");
    const std::vector<std::string_view> mixedViews(mixed.begin(), mixed.end());
    CHECK(didYouMean("nvidia-h100-sxn", mixedViews) == "nvidia-h100-sxm");
}
