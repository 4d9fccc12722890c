// The light JSON document: nlohmann's lexer and parser, our own node storage.
#include "json_sax.hpp"

#include <flopledger/exact.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

namespace flopledger::detail {
namespace {

// A char iterator that publishes how far the parser has read, so SAX callbacks (which receive
// no position) can be mapped to byte offsets.
class CountingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    CountingIterator(const char* p, const char** consumed) : p_(p), consumed_(consumed) {}
    reference operator*() const { return *p_; }
    CountingIterator& operator++() {
        ++p_;
        *consumed_ = p_;
        return *this;
    }
    CountingIterator operator++(int) {
        CountingIterator old = *this;
        ++*this;
        return old;
    }
    friend bool operator==(const CountingIterator& a, const CountingIterator& b) {
        return a.p_ == b.p_;
    }
    friend bool operator!=(const CountingIterator& a, const CountingIterator& b) {
        return a.p_ != b.p_;
    }

private:
    const char* p_;
    const char** consumed_;
};

std::string asciiOnly(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u >= 0x7f) ? '?' : c;
    }
    return out;
}

class Builder {
public:
    using json = nlohmann::json;

    Builder(const char* begin, const char** consumed, const JsonLimits& limits, JsonDocument& doc,
            JsonParseError& error)
        : begin_(begin), consumed_(consumed), limits_(limits), doc_(doc), error_(error) {}

    bool null() { return add(JsonKind::Null, lastConsumed()) != kNoNode; }
    bool boolean(bool v) {
        const auto i = add(JsonKind::Bool, lastConsumed());
        doc_.nodes[i].boolean = v;
        return true;
    }
    bool number_integer(json::number_integer_t v) {
        const auto i = add(JsonKind::Integer, lastConsumed());
        auto& n = doc_.nodes[i];
        n.negative = v < 0;
        n.magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
        return true;
    }
    bool number_unsigned(json::number_unsigned_t v) {
        const auto i = add(JsonKind::Integer, lastConsumed());
        doc_.nodes[i].magnitude = v;
        return true;
    }
    bool number_float(json::number_float_t /*unused*/, const std::string& text) {
        const auto i = add(JsonKind::Number, lastConsumed());
        setText(i, text);
        return true;
    }
    bool string(std::string& s) {
        if (!checkString(s)) return false;
        const auto i = add(JsonKind::String, lastConsumed());
        setText(i, s);
        return true;
    }
    bool binary(json::binary_t& /*unused*/) { return false; }
    bool start_object(std::size_t /*unused*/) { return open(JsonKind::Object); }
    bool key(std::string& k) {
        if (!checkString(k)) return false;
        pendingKeyPos_ = static_cast<std::uint32_t>(doc_.pool.size());
        pendingKeyLen_ = static_cast<std::uint32_t>(k.size());
        doc_.pool += k;
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t /*unused*/) { return open(JsonKind::Array); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string& token,
                     const nlohmann::detail::exception& ex) {
        if (ex.id == 406) {
            // A JSON number beyond double range: nlohmann refuses it before our number
            // callbacks see it. Judge its text by our own number rules, located at its field.
            error_.offset = position > 0 ? position - 1 : 0;
            error_.pointer = pendingPointer();
            try {
                (void)parseExact(token);
                error_.code = ErrorCode::NumberRange;
                error_.message = "number out of range";
            } catch (const InputError& e) {
                error_.code = e.diagnostic().code;
                error_.message = e.diagnostic().message;
            }
            return false;
        }
        std::string_view what = ex.what();
        // Drop nlohmann's "[json.exception...] parse error at line 1, column 5: " prefix: our
        // diagnostics carry the location themselves.
        if (const auto colon = what.find(": ");
            colon != std::string_view::npos && what.substr(0, 1) == "[")
            what.remove_prefix(colon + 2);
        error_.code = what.find("UTF-8") != std::string_view::npos ? ErrorCode::Encoding
                                                                   : ErrorCode::JsonSyntax;
        error_.offset = position > 0 ? position - 1 : 0;
        error_.message = "invalid JSON: " + asciiOnly(what);
        return false;
    }

private:
    // Offset of the last character the lexer consumed: the end of the token just read (or, for
    // numbers, the one-character lookahead, which is still on the same line or is its '\n').
    std::size_t lastConsumed() const {
        const auto n = static_cast<std::size_t>(*consumed_ - begin_);
        return n > 0 ? n - 1 : 0;
    }

    // The JSON pointer of the value about to be added.
    std::string pendingPointer() const {
        std::string p;
        for (std::size_t level = 0; level < stack_.size(); ++level) {
            const JsonNode& container = doc_.nodes[stack_[level]];
            const bool last = level + 1 == stack_.size();
            if (container.kind == JsonKind::Object) {
                const JsonNode* child = last ? nullptr : &doc_.nodes[stack_[level + 1]];
                appendPointer(
                    p, last ? std::string_view(doc_.pool).substr(pendingKeyPos_, pendingKeyLen_)
                            : std::string_view(doc_.pool).substr(child->keyPos, child->keyLen));
            } else {
                appendPointer(p,
                              static_cast<std::size_t>(last ? container.size : container.size - 1));
            }
        }
        return p;
    }

    bool checkString(const std::string& s) {
        if (s.size() <= limits_.maxStringBytes) return true;
        error_.code = ErrorCode::InputTooLarge;
        error_.offset = lastConsumed();
        error_.message = "a JSON string of " + std::to_string(s.size()) +
                         " bytes is longer than the limit of " +
                         std::to_string(limits_.maxStringBytes);
        return false;
    }

    void setText(std::uint32_t i, const std::string& s) {
        doc_.nodes[i].textPos = static_cast<std::uint32_t>(doc_.pool.size());
        doc_.nodes[i].textLen = static_cast<std::uint32_t>(s.size());
        doc_.pool += s;
    }

    std::uint32_t add(JsonKind kind, std::size_t offset) {
        const auto i = static_cast<std::uint32_t>(doc_.nodes.size());
        JsonNode& n = doc_.nodes.emplace_back();
        n.kind = kind;
        n.offset = offset;
        if (!stack_.empty()) {
            JsonNode& parent = doc_.nodes[stack_.back()];
            if (parent.kind == JsonKind::Object) {
                n.keyPos = pendingKeyPos_;
                n.keyLen = pendingKeyLen_;
            }
            if (parent.last == kNoNode)
                parent.first = i;
            else
                doc_.nodes[parent.last].next = i;
            parent.last = i;
            ++parent.size;
        }
        return i;
    }

    bool open(JsonKind kind) {
        if (stack_.size() >= limits_.maxDepth) {
            error_.code = ErrorCode::JsonDepth;
            error_.offset = lastConsumed();
            error_.message = "JSON nesting is deeper than the limit of " +
                             std::to_string(limits_.maxDepth) + " levels";
            return false;
        }
        stack_.push_back(add(kind, lastConsumed()));
        return true;
    }

    bool close() {
        stack_.pop_back();
        return true;
    }

    const char* begin_;
    const char** consumed_;
    const JsonLimits& limits_;
    JsonDocument& doc_;
    JsonParseError& error_;
    std::vector<std::uint32_t> stack_;
    std::uint32_t pendingKeyPos_ = 0, pendingKeyLen_ = 0;
};

}  // namespace

bool parseJson(std::string_view text, const JsonLimits& limits, JsonDocument& doc,
               JsonParseError& error) {
    doc.clear();
    const char* begin = text.data();
    const char* consumed = begin;
    Builder builder(begin, &consumed, limits, doc, error);
    const bool ok =
        nlohmann::json::sax_parse(CountingIterator(begin, &consumed),
                                  CountingIterator(begin + text.size(), &consumed), &builder);
    if (ok && doc.nodes.empty()) {
        error.code = ErrorCode::JsonSyntax;
        error.offset = 0;
        error.message = "invalid JSON: empty input";
        return false;
    }
    return ok;
}

LineIndex::LineIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') newlines_.push_back(i);
}

std::size_t LineIndex::lineOf(std::size_t offset) const {
    // Line = 1 + newlines strictly before the offset; a '\n' belongs to the line it ends.
    return 1 +
           static_cast<std::size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) -
                                    newlines_.begin());
}

void appendPointer(std::string& pointer, std::string_view key) {
    pointer += '/';
    for (char c : key) {
        if (c == '~')
            pointer += "~0";
        else if (c == '/')
            pointer += "~1";
        else
            pointer += c;
    }
}

void appendPointer(std::string& pointer, std::size_t index) {
    pointer += '/';
    pointer += std::to_string(index);
}

}  // namespace flopledger::detail
