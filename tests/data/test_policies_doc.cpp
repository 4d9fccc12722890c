// docs/policies.md holds exactly the generated table of the shipped policies, between marker
// comments, so the documentation cannot drift from policies/*.json. On a mismatch the expected
// table is written to the build directory (policies-table.md) for pasting.
#include <flopledger/policy_catalog.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace flopledger;

TEST_CASE("docs/policies.md contains the generated policy table", "[policy][docs]") {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) + "/docs/policies.md");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    const std::string begin = "<!-- BEGIN GENERATED POLICY TABLE -->\n";
    const std::string end = "<!-- END GENERATED POLICY TABLE -->";
    const auto b = doc.find(begin);
    const auto e = doc.find(end);
    REQUIRE(b != std::string::npos);
    REQUIRE(e != std::string::npos);
    REQUIRE(b < e);
    const std::string inDoc = doc.substr(b + begin.size(), e - b - begin.size());
    const std::string expected = policyTableMarkdown(PolicyCatalog::defaults());
    if (inDoc != expected) {
        std::ofstream out(std::string(FLOPLEDGER_BINARY_DIR) + "/policies-table.md");
        out << expected;
    }
    CHECK(inDoc == expected);
}
