// Diagnostic formatting, the code table and "did you mean".
#include <flopledger/diagnostic.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace flopledger;

TEST_CASE("codeText and codeName", "[diagnostic]") {
    CHECK(codeText(ErrorCode::NumberSyntax) == "E101");
    CHECK(codeText(ErrorCode::JsonDepth) == "E203");
    CHECK(codeText(ErrorCode::ParamMismatch) == "W801");
    CHECK(codeText(ErrorCode::Internal) == "E901");
    CHECK(codeName(ErrorCode::UnknownAccelerator) == "unknown-accelerator");
    CHECK(codeName(ErrorCode::NumberSyntax) == "number-syntax");
}

TEST_CASE("allErrorCodes lists every code once with a distinct name", "[diagnostic]") {
    const auto codes = allErrorCodes();
    CHECK(codes.size() == 61);  // 38 in v1; v2 added 23 (docs/errors.md)
    std::set<std::string_view> names;
    std::set<unsigned> numbers;
    unsigned previous = 0;
    for (ErrorCode c : codes) {
        CHECK(codeName(c) != "unknown");
        names.insert(codeName(c));
        const auto n = static_cast<unsigned>(c);
        CHECK(n > previous);  // numeric order
        previous = n;
        numbers.insert(n);
    }
    CHECK(names.size() == codes.size());
    CHECK(numbers.size() == codes.size());
}

TEST_CASE("Diagnostic::toString follows FILE:LINE[:POINTER]: error CODE: message", "[diagnostic]") {
    Diagnostic d{Severity::Error,    ErrorCode::NumberNegative,    "models.json", 12,
                 "/stages/0/tokens", "tokens must not be negative"};
    CHECK(d.toString() ==
          "models.json:12:/stages/0/tokens: error E103: tokens must not be negative");
    d.pointer.clear();
    CHECK(d.toString() == "models.json:12: error E103: tokens must not be negative");
    d.line = 0;
    CHECK(d.toString() == "models.json: error E103: tokens must not be negative");
    d.file.clear();
    CHECK(d.toString() == "error E103: tokens must not be negative");

    Diagnostic w{Severity::Warning, ErrorCode::ParamMismatch, "-", 3, "", "params differ"};
    CHECK(w.toString() == "-:3: warning W801: params differ");
    // Embedded newlines never split a diagnostic over lines.
    Diagnostic n{Severity::Error, ErrorCode::BadId, "a\nb.json", 1, "", "bad\nid"};
    CHECK(n.toString().find('\n') == std::string::npos);
}

TEST_CASE("InputError carries its diagnostic", "[diagnostic]") {
    const InputError e(ErrorCode::BadDate, "no such day", "/released");
    CHECK(e.diagnostic().code == ErrorCode::BadDate);
    CHECK(e.diagnostic().pointer == "/released");
    CHECK(e.diagnostic().severity == Severity::Error);
    CHECK(std::string(e.what()) == "<input>:/released: error E306: no such day");
}

TEST_CASE("didYouMean suggests close candidates only", "[diagnostic]") {
    const std::vector<std::string_view> fields = {"tokens",   "examples", "seq_len", "flop",
                                                  "hardware", "kind",     "label"};
    CHECK(didYouMean("tokns", fields) == "tokens");
    CHECK(didYouMean("toknes", fields) == "tokens");  // transposition counts as one edit
    CHECK(didYouMean("Tokens", fields) == "tokens");
    CHECK(didYouMean("hardwear", fields) == "hardware");
    CHECK(didYouMean("seqlen", fields) == "seq_len");
    CHECK(didYouMean("flops", fields) == "flop");
    CHECK(didYouMean("zzz", fields).empty());
    CHECK(didYouMean("parameters", fields).empty());
    CHECK(didYouMean("id", fields).empty());
    CHECK(didYouMean("pretrainig", {"pretraining", "fine-tuning"}) == "pretraining");
    CHECK(didYouMean("x", {}).empty());
}
