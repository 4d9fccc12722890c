// SAX-built JSON tree with exact number text and source lines (see policy_json.hpp).
#include "io/policy_json.hpp"

#include <nlohmann/json.hpp>

#include <iterator>

namespace flopledger::inline v1::detail {
namespace {

// An input iterator over the text that publishes how far the lexer has read, so that the SAX
// handler can tell the line of each event.
class TrackingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackingIterator() = default;
    TrackingIterator(const char* p, const char** sink) : p_(p), sink_(sink) {}
    reference operator*() const { return *p_; }
    TrackingIterator& operator++() {
        ++p_;
        if (sink_) *sink_ = p_;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator old = *this;
        ++*this;
        return old;
    }
    friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) {
        return a.p_ == b.p_;
    }
    friend bool operator!=(const TrackingIterator& a, const TrackingIterator& b) {
        return a.p_ != b.p_;
    }

private:
    const char* p_ = nullptr;
    const char** sink_ = nullptr;
};

std::string escapePointerToken(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

class Builder : public nlohmann::json_sax<nlohmann::json> {
public:
    Builder(std::string_view text, std::string file, std::size_t maxDepth)
        : begin_(text.data()),
          counted_(text.data()),
          read_(text.data()),
          file_(std::move(file)),
          maxDepth_(maxDepth) {}

    const char** sink() { return &read_; }
    JsonNode takeRoot() { return std::move(root_); }

    bool null() override { return add(JsonNode{}, false); }
    bool boolean(bool v) override {
        JsonNode n;
        n.type = JsonNode::Type::Bool;
        n.boolean = v;
        return add(std::move(n), false);
    }
    bool number_integer(number_integer_t v) override { return number(std::to_string(v)); }
    bool number_unsigned(number_unsigned_t v) override { return number(std::to_string(v)); }
    bool number_float(number_float_t, const string_t& s) override { return number(s); }
    bool string(string_t& v) override {
        JsonNode n;
        n.type = JsonNode::Type::String;
        n.text = std::move(v);
        return add(std::move(n), false);
    }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(JsonNode::Type::Object); }
    bool start_array(std::size_t) override { return open(JsonNode::Type::Array); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        JsonNode& obj = stack_.back();
        for (const auto& m : obj.members) {
            if (m.first == k) {
                fail(ErrorCode::PolicyInvalid, "duplicate key \"" + k + "\"",
                     obj.pointer + "/" + escapePointerToken(k), currentLine(false));
                return false;
            }
        }
        keys_.back() = k;
        keyLines_.back() = currentLine(false);
        return true;
    }
    bool parse_error(std::size_t, const std::string& lastToken,
                     const nlohmann::detail::exception& ex) override {
        std::string msg = ex.what();
        // nlohmann's messages start with "[json.exception.parse_error.101] parse error at line
        // L, column C: "; keep only the explanation, the line is ours.
        const auto colon = msg.find(": ", msg.find("column"));
        if (colon != std::string::npos) msg = msg.substr(colon + 2);
        if (!lastToken.empty() && lastToken.size() < 40) msg += " (near '" + lastToken + "')";
        fail(ErrorCode::JsonSyntax, "malformed JSON: " + msg, {}, currentLine(false));
        return false;
    }

    bool failed() const { return failed_; }
    const Diagnostic& error() const { return error_; }

private:
    std::size_t currentLine(bool adjustForLookahead) {
        // Count newlines read so far; a number is only known once the character after it has
        // been read, so that character does not count.
        const char* upTo = read_;
        if (adjustForLookahead && upTo > begin_) --upTo;
        if (upTo < counted_) {
            std::size_t line = line_;
            for (const char* p = upTo; p < counted_; ++p)
                if (*p == '\n') --line;
            return line;
        }
        for (; counted_ < upTo; ++counted_)
            if (*counted_ == '\n') ++line_;
        return line_;
    }

    bool number(std::string text) {
        JsonNode n;
        n.type = JsonNode::Type::Number;
        n.text = std::move(text);
        return add(std::move(n), true);
    }

    std::string childPointer() const {
        if (stack_.empty()) return {};
        const JsonNode& parent = stack_.back();
        if (parent.isArray()) return parent.pointer + "/" + std::to_string(parent.items.size());
        return parent.pointer + "/" + escapePointerToken(keys_.back());
    }

    std::size_t childLine(bool isNumber) {
        if (!stack_.empty() && stack_.back().isObject()) return keyLines_.back();
        return currentLine(isNumber);
    }

    bool add(JsonNode n, bool isNumber) {
        n.line = childLine(isNumber);
        n.pointer = childPointer();
        attach(std::move(n));
        return true;
    }

    void attach(JsonNode n) {
        if (stack_.empty()) {
            root_ = std::move(n);
            return;
        }
        JsonNode& parent = stack_.back();
        if (parent.isArray())
            parent.items.push_back(std::move(n));
        else
            parent.members.push_back(JsonNode::Member{keys_.back(), std::move(n)});
    }

    bool open(JsonNode::Type type) {
        if (stack_.size() >= maxDepth_) {
            fail(ErrorCode::JsonDepth,
                 "nesting deeper than " + std::to_string(maxDepth_) + " levels", childPointer(),
                 currentLine(false));
            return false;
        }
        JsonNode n;
        n.type = type;
        n.line = childLine(false);
        n.pointer = childPointer();
        stack_.push_back(std::move(n));
        keys_.emplace_back();
        keyLines_.push_back(0);
        return true;
    }

    bool close() {
        JsonNode n = std::move(stack_.back());
        stack_.pop_back();
        keys_.pop_back();
        keyLines_.pop_back();
        attach(std::move(n));
        return true;
    }

    void fail(ErrorCode code, std::string message, std::string pointer, std::size_t line) {
        if (failed_) return;
        failed_ = true;
        error_ =
            Diagnostic{Severity::Error, code, file_, line, std::move(pointer), std::move(message)};
    }

    const char* begin_;
    const char* counted_;
    const char* read_;
    std::size_t line_ = 1;
    std::string file_;
    std::size_t maxDepth_;
    std::vector<JsonNode> stack_;
    std::vector<std::string> keys_;
    std::vector<std::size_t> keyLines_;
    JsonNode root_;
    bool failed_ = false;
    Diagnostic error_;
};

}  // namespace

const JsonNode* JsonNode::get(std::string_view key) const {
    for (const auto& m : members)
        if (m.first == key) return &m.second;
    return nullptr;
}

std::string_view typeName(JsonNode::Type t) {
    switch (t) {
        case JsonNode::Type::Null:
            return "null";
        case JsonNode::Type::Bool:
            return "a boolean";
        case JsonNode::Type::Number:
            return "a number";
        case JsonNode::Type::String:
            return "a string";
        case JsonNode::Type::Array:
            return "an array";
        case JsonNode::Type::Object:
            return "an object";
    }
    return "?";
}

JsonNode parseJsonDocument(std::string_view text, const std::string& fileName,
                           std::size_t maxDepth) {
    // A UTF-8 byte-order mark is accepted and skipped.
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    Builder builder(text, fileName, maxDepth);
    TrackingIterator first(text.data(), builder.sink());
    TrackingIterator last(text.data() + text.size(), nullptr);
    const bool ok = nlohmann::json::sax_parse(first, last, &builder);
    if (builder.failed()) throw InputError(builder.error());
    if (!ok)
        throw InputError(
            Diagnostic{Severity::Error, ErrorCode::JsonSyntax, fileName, 0, {}, "malformed JSON"});
    return builder.takeRoot();
}

}  // namespace flopledger::detail
