#pragma once
// A small JSON document model for policy files: numbers keep their source text (read exactly
// with parseExact), every value knows its line and JSON pointer for diagnostics. Built with
// nlohmann's SAX parser, which hands over the lexeme of every non-integer number.
#include <flopledger/diagnostic.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flopledger::inline v1::detail {

struct JsonNode {
    // Declared here, defined below: a std::pair<std::string, JsonNode> member would need the
    // complete type, which clang 14 with libstdc++ 12 refuses.
    struct Member;
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    std::string text;  ///< string value, or the number exactly as written
    std::vector<JsonNode> items;
    std::vector<Member> members;  ///< in document order
    std::size_t line = 0;
    std::string pointer;

    const JsonNode* get(std::string_view key) const;
    bool isObject() const { return type == Type::Object; }
    bool isArray() const { return type == Type::Array; }
    bool isString() const { return type == Type::String; }
    bool isNumber() const { return type == Type::Number; }
    bool isBool() const { return type == Type::Bool; }
};

struct JsonNode::Member {
    std::string first;  ///< key
    JsonNode second;    ///< value
};

std::string_view typeName(JsonNode::Type t);

/// Parses a whole document; throws InputError (JsonSyntax, JsonDepth, PolicyInvalid for a
/// duplicate key) with file and line set.
JsonNode parseJsonDocument(std::string_view text, const std::string& fileName,
                           std::size_t maxDepth = 64);

}  // namespace flopledger::detail
