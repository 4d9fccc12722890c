#pragma once
// Private: a light JSON document built from nlohmann's SAX events. Unlike nlohmann::json it keeps
// every number's original text (so numbers are read exactly) and every value's byte offset (so
// diagnostics can name the line).
#include <flopledger/diagnostic.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail::recjson {

enum class JsonKind : std::uint8_t { Null, Bool, Integer, Number, String, Array, Object };

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

struct JsonNode {
    JsonKind kind = JsonKind::Null;
    bool boolean = false;
    bool negative = false;                   ///< Integer: sign
    bool keyInSource = false;                ///< key bytes are in the parsed text, not the pool
    bool textInSource = false;               ///< text bytes are in the parsed text, not the pool
    std::uint64_t magnitude = 0;             ///< Integer: absolute value
    std::uint32_t keyPos = 0, keyLen = 0;    ///< member name in the pool (object members)
    std::uint32_t textPos = 0, textLen = 0;  ///< String text or Number lexeme in the pool
    std::uint32_t first = kNoNode, last = kNoNode, next = kNoNode;  ///< children, sibling
    std::uint32_t size = 0;                                         ///< number of children
    std::size_t offset = 0;  ///< byte offset of the value's first character
};

struct JsonLimits {
    std::size_t maxDepth = 64;
    std::size_t maxStringBytes = std::size_t(1) << 20;
};

/// A parsed document; node 0 is the root. Reused across parses to avoid reallocations.
/// Strings without escapes are not copied: their nodes point into the parsed text, so the
/// document is valid only while that text is.
class JsonDocument {
public:
    std::vector<JsonNode> nodes;
    std::string pool;
    std::string_view source;  ///< the parsed text (fast parser only)

    const JsonNode& root() const { return nodes.front(); }
    const JsonNode& node(std::uint32_t i) const { return nodes[i]; }
    std::string_view key(const JsonNode& n) const {
        return {(n.keyInSource ? source.data() : pool.data()) + n.keyPos, n.keyLen};
    }
    std::string_view text(const JsonNode& n) const {
        return {(n.textInSource ? source.data() : pool.data()) + n.textPos, n.textLen};
    }
    void clear() {
        nodes.clear();
        pool.clear();
        source = {};
    }
};

struct JsonParseError {
    ErrorCode code = ErrorCode::JsonSyntax;
    std::size_t offset = 0;  ///< byte offset where the problem was seen
    std::string message;     ///< one line
    std::string pointer;     ///< where the value was going, when known (number overflow)
};

/// Parses one JSON value (the whole text must be that value plus whitespace). Offsets are
/// relative to `text`. Returns false and fills `error` on failure.
bool parseJson(std::string_view text, const JsonLimits& limits, JsonDocument& doc,
               JsonParseError& error);

/// The two parsers behind parseJson: a fast strict one that only builds documents (false on
/// anything unusual, without a diagnostic), and the nlohmann-based one that also explains
/// failures. Exposed for the differential test.
bool parseJsonFast(std::string_view text, const JsonLimits& limits, JsonDocument& doc);
bool parseJsonReference(std::string_view text, const JsonLimits& limits, JsonDocument& doc,
                        JsonParseError& error);

/// Offset -> 1-based line, from an index of newline positions.
class LineIndex {
public:
    explicit LineIndex(std::string_view text);
    std::size_t lineOf(std::size_t offset) const;

private:
    std::vector<std::size_t> newlines_;
};

/// Appends `key` to a JSON pointer with RFC 6901 escaping (~ -> ~0, / -> ~1).
void appendPointer(std::string& pointer, std::string_view key);
void appendPointer(std::string& pointer, std::size_t index);

}  // namespace flopledger::detail::recjson
