// The JSON writer writes straight into the caller's string (output/string_growth.hpp): the
// bytes before the document stay, the string ends exactly at the document's end, long documents
// grow it as often as needed, and a nested writer appends to its own string.
#include "output/json_writer.hpp"
#include "output/string_growth.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace flopledger;
using detail::jsonout::Writer;

TEST_CASE("growUninitialized keeps the bytes before the new ones", "[output][fast-path]") {
    std::string s = "prefix";
    detail::growUninitialized(s, 4096);
    CHECK(s.size() == 4096);
    CHECK(s.compare(0, 6, "prefix") == 0);
    s.resize(6);
    CHECK(s == "prefix");
}

TEST_CASE("JSON writer: into a non-empty string, long documents, nested writers",
          "[output][fast-path]") {
    std::string out = "before\n";
    std::string expected = "before\n[";
    {
        Writer w(out, -1);
        w.beginArray();
        // About 200 KB: many times the first room (a previous document's size + 256 bytes).
        for (int i = 0; i < 20000; ++i) {
            const std::string item = "item \"" + std::to_string(i) + "\"";
            w.value(item);
            expected += (i == 0 ? "" : ",");
            expected += "\"item \\\"" + std::to_string(i) + "\\\"\"";
        }
        w.endArray();
    }
    expected += "]";
    CHECK(out == expected);
    // A second document after the first: appended, sized from the previous one.
    {
        Writer w(out, 2);
        w.beginObject();
        w.key("a");
        w.value(true);
        {
            std::string inner = "x";
            {
                Writer n(inner, -1, Writer::Nested{});
                n.beginObject();
                n.key("b");
                n.null();
                n.endObject();
            }
            CHECK(inner == "x{\"b\":null}");
        }
        w.endObject();
    }
    CHECK(out == expected + "{\n  \"a\": true\n}");
}
