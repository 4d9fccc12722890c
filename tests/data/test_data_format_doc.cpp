// docs/data-format.md and docs/errors.md stay in step with the code.
#include <flopledger/diagnostic.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace flopledger;

namespace {

std::string readDoc(const std::string& name) {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) + "/docs/" + name);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The `field` names in the first column of the table between <!-- fields: KIND --> and
// <!-- end -->.
std::set<std::string> documentedFields(const std::string& doc, std::string_view kind) {
    const std::string open = "<!-- fields: " + std::string(kind) + " -->";
    const auto start = doc.find(open);
    REQUIRE(start != std::string::npos);
    const auto stop = doc.find("<!-- end -->", start);
    REQUIRE(stop != std::string::npos);
    std::set<std::string> out;
    std::istringstream table(doc.substr(start + open.size(), stop - start - open.size()));
    std::string line;
    while (std::getline(table, line)) {
        if (line.rfind("| `", 0) != 0) continue;
        const auto end = line.find('`', 3);
        out.insert(line.substr(3, end - 3));
    }
    return out;
}

}  // namespace

TEST_CASE("docs/data-format.md documents exactly the fields the reader accepts", "[docs]") {
    const std::string doc = readDoc("data-format.md");
    for (std::string_view kind : knownObjectKinds()) {
        INFO("object kind " << kind);
        const auto fields = knownFields(kind);
        const std::set<std::string> code(fields.begin(), fields.end());
        CHECK(documentedFields(doc, kind) == code);
    }
}

TEST_CASE("docs/errors.md lists every error code with its name", "[docs]") {
    const std::string doc = readDoc("errors.md");
    std::set<std::string> rows;
    std::istringstream in(doc);
    std::string line;
    while (std::getline(in, line))
        if (line.size() > 6 && line[0] == '|' && (line[2] == 'E' || line[2] == 'W'))
            rows.insert(line.substr(2, 4));
    std::set<std::string> codes;
    for (ErrorCode c : allErrorCodes()) {
        const std::string row = "| " + codeText(c) + " | `" + std::string(codeName(c)) + "` |";
        INFO(row);
        CHECK(doc.find(row) != std::string::npos);
        codes.insert(codeText(c));
    }
    CHECK(rows == codes);
}
