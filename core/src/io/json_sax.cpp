// The light JSON document: nlohmann's lexer and parser, our own node storage.
#include "io/json_sax.hpp"

#include <flopledger/exact.hpp>

#include "base/exact_fast.hpp"
#include "io/json_scan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

namespace flopledger::inline v1::detail::recjson {
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

// A strict, allocation-light JSON parser for the common case. It either builds the document or
// gives up; on giving up, the nlohmann-based path runs and produces the diagnostic, so every
// error message and position comes from one well-tested place.
class FastParser {
public:
    FastParser(std::string_view text, const JsonLimits& limits, JsonDocument& doc)
        : s_(text), limits_(limits), doc_(doc) {}

    bool parse() {
        skipSpace();
        if (!value(kNoNode, 0)) return false;
        skipSpace();
        return pos_ == s_.size();
    }

private:
    void skipSpace() {
        // Compact JSON Lines have no whitespace between tokens: one test in the usual case.
        if (pos_ < s_.size() && static_cast<unsigned char>(s_[pos_]) > ' ') return;
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
            ++pos_;
    }

    std::uint32_t add(JsonKind kind, std::uint32_t parent, std::size_t offset) {
        const auto i = static_cast<std::uint32_t>(doc_.nodes.size());
        JsonNode& n = doc_.nodes.emplace_back();
        n.kind = kind;
        n.offset = offset;
        if (parent != kNoNode) {
            JsonNode& p = doc_.nodes[parent];
            if (p.kind == JsonKind::Object) {
                n.keyPos = keyPos_;
                n.keyLen = keyLen_;
                n.keyInSource = keyInSource_;
            }
            if (p.last == kNoNode)
                p.first = i;
            else
                doc_.nodes[p.last].next = i;
            p.last = i;
            ++p.size;
        }
        return i;
    }

    // Position of the first byte at or after `p` that is '"', '\\', a control or non-ASCII.
    [[gnu::always_inline]] std::size_t skipPlain(std::size_t p) const {
        return skipPlainJson(s_, p);
    }

    // Reads a JSON string. Plain ASCII strings (the usual case) are left in the text and
    // reported with inSource; others are decoded into the pool. False on any irregularity.
    // The plain case inline (keys and most values); escapes and UTF-8 out of line.
    [[gnu::always_inline]] bool string(std::uint32_t& posOut, std::uint32_t& lenOut,
                                       bool& inSource) {
        ++pos_;  // opening quote
        const std::size_t begin = pos_;
        pos_ = skipPlain(pos_);
        if (pos_ < s_.size() && s_[pos_] == '"') [[likely]] {
            const std::size_t len = pos_ - begin;
            ++pos_;  // closing quote
            if (len > limits_.maxStringBytes) return false;
            posOut = static_cast<std::uint32_t>(begin);
            lenOut = static_cast<std::uint32_t>(len);
            inSource = true;
            return true;
        }
        return decodedString(begin, posOut, lenOut, inSource);
    }

    // The rest of a string from `begin` (its first byte) that needs decoding into the pool.
    [[gnu::noinline]] bool decodedString(std::size_t begin, std::uint32_t& posOut,
                                         std::uint32_t& lenOut, bool& inSource) {
        inSource = false;
        const std::size_t start = doc_.pool.size();
        std::size_t run = begin;
        while (true) {
            if (pos_ >= s_.size()) return false;
            const auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') break;
            if (c < 0x20 || c == '\\' || c >= 0x80) {
                doc_.pool.append(s_.data() + run, pos_ - run);
                if (c < 0x20) return false;
                if (c == '\\') {
                    if (!escape()) return false;
                } else if (!utf8()) {
                    return false;
                }
                run = pos_;
                continue;
            }
            ++pos_;
        }
        doc_.pool.append(s_.data() + run, pos_ - run);
        ++pos_;  // closing quote
        if (doc_.pool.size() - start > limits_.maxStringBytes) return false;
        posOut = static_cast<std::uint32_t>(start);
        lenOut = static_cast<std::uint32_t>(doc_.pool.size() - start);
        return true;
    }

    // Copies one well-formed UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF).
    bool utf8() {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s_[pos_ + k]); };
        const auto c = b(0);
        std::size_t n = 0;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            n = 2;
        else if (c == 0xe0)
            n = 3, lo = 0xa0;
        else if (c >= 0xe1 && c <= 0xec)
            n = 3;
        else if (c == 0xed)
            n = 3, hi = 0x9f;
        else if (c >= 0xee && c <= 0xef)
            n = 3;
        else if (c == 0xf0)
            n = 4, lo = 0x90;
        else if (c >= 0xf1 && c <= 0xf3)
            n = 4;
        else if (c == 0xf4)
            n = 4, hi = 0x8f;
        else
            return false;
        if (pos_ + n > s_.size()) return false;
        if (b(1) < lo || b(1) > hi) return false;
        for (std::size_t k = 2; k < n; ++k)
            if (b(k) < 0x80 || b(k) > 0xbf) return false;
        doc_.pool.append(s_.data() + pos_, n);
        pos_ += n;
        return true;
    }

    bool hex4(unsigned& out) {
        if (pos_ + 4 > s_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[pos_++];
            out <<= 4;
            if (h >= '0' && h <= '9')
                out |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                out |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                out |= static_cast<unsigned>(h - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    bool escape() {
        ++pos_;  // backslash
        if (pos_ >= s_.size()) return false;
        const char e = s_[pos_++];
        switch (e) {
            case '"':
                doc_.pool += '"';
                return true;
            case '\\':
                doc_.pool += '\\';
                return true;
            case '/':
                doc_.pool += '/';
                return true;
            case 'b':
                doc_.pool += '\b';
                return true;
            case 'f':
                doc_.pool += '\f';
                return true;
            case 'n':
                doc_.pool += '\n';
                return true;
            case 'r':
                doc_.pool += '\r';
                return true;
            case 't':
                doc_.pool += '\t';
                return true;
            case 'u':
                break;
            default:
                return false;
        }
        unsigned cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xdc00 && cp <= 0xdfff) return false;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned low = 0;
            if (pos_ + 2 > s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u') return false;
            pos_ += 2;
            if (!hex4(low) || low < 0xdc00 || low > 0xdfff) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        auto put = [&](unsigned v) { doc_.pool += static_cast<char>(v); };
        if (cp < 0x80) {
            put(cp);
        } else if (cp < 0x800) {
            put(0xc0 | (cp >> 6));
            put(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            put(0xe0 | (cp >> 12));
            put(0x80 | ((cp >> 6) & 0x3f));
            put(0x80 | (cp & 0x3f));
        } else {
            put(0xf0 | (cp >> 18));
            put(0x80 | ((cp >> 12) & 0x3f));
            put(0x80 | ((cp >> 6) & 0x3f));
            put(0x80 | (cp & 0x3f));
        }
        return true;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }

    bool number(std::uint32_t parent) {
        const std::size_t start = pos_;
        if (s_[pos_] == '-') ++pos_;
        if (pos_ >= s_.size()) return false;
        if (s_[pos_] == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digits()) return false;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (!digits()) return false;
        }
        // Numbers keep their text; the reader parses it exactly (integers included).
        JsonNode& n = doc_.nodes[add(JsonKind::Number, parent, start)];
        n.textPos = static_cast<std::uint32_t>(start);
        n.textLen = static_cast<std::uint32_t>(pos_ - start);
        n.textInSource = true;
        return true;
    }

    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool stringValue(std::uint32_t parent) {
        const std::size_t start = pos_;
        std::uint32_t tp = 0, tl = 0;
        bool inSource = false;
        if (!string(tp, tl, inSource)) return false;
        JsonNode& n = doc_.nodes[add(JsonKind::String, parent, start)];
        n.textPos = tp;
        n.textLen = tl;
        n.textInSource = inSource;
        return true;
    }

    // A member or element: strings and numbers (most values) without the recursive call.
    bool member(std::uint32_t parent, std::size_t depth) {
        if (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == '"') return stringValue(parent);
            if (c == '-' || (c >= '0' && c <= '9')) return number(parent);
        }
        return value(parent, depth);
    }

    bool value(std::uint32_t parent, std::size_t depth) {
        if (pos_ >= s_.size()) return false;
        const std::size_t start = pos_;
        switch (s_[pos_]) {
            case '{': {
                if (depth >= limits_.maxDepth) return false;
                const auto self = add(JsonKind::Object, parent, start);
                ++pos_;
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == '}') {
                    ++pos_;
                    return true;
                }
                while (true) {
                    if (pos_ >= s_.size() || s_[pos_] != '"') return false;
                    if (!string(keyPos_, keyLen_, keyInSource_)) return false;
                    skipSpace();
                    if (pos_ >= s_.size() || s_[pos_] != ':') return false;
                    ++pos_;
                    skipSpace();
                    if (!member(self, depth + 1)) return false;
                    skipSpace();
                    if (pos_ >= s_.size()) return false;
                    if (s_[pos_] == '}') {
                        ++pos_;
                        return true;
                    }
                    if (s_[pos_] != ',') return false;
                    ++pos_;
                    skipSpace();
                }
            }
            case '[': {
                if (depth >= limits_.maxDepth) return false;
                const auto self = add(JsonKind::Array, parent, start);
                ++pos_;
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == ']') {
                    ++pos_;
                    return true;
                }
                while (true) {
                    if (!member(self, depth + 1)) return false;
                    skipSpace();
                    if (pos_ >= s_.size()) return false;
                    if (s_[pos_] == ']') {
                        ++pos_;
                        return true;
                    }
                    if (s_[pos_] != ',') return false;
                    ++pos_;
                    skipSpace();
                }
            }
            case '"':
                return stringValue(parent);
            case 't':
                if (!literal("true")) return false;
                doc_.nodes[add(JsonKind::Bool, parent, start)].boolean = true;
                return true;
            case 'f':
                if (!literal("false")) return false;
                add(JsonKind::Bool, parent, start);
                return true;
            case 'n':
                if (!literal("null")) return false;
                add(JsonKind::Null, parent, start);
                return true;
            default:
                if (s_[pos_] == '-' || (s_[pos_] >= '0' && s_[pos_] <= '9')) return number(parent);
                return false;
        }
    }

    std::string_view s_;
    const JsonLimits& limits_;
    JsonDocument& doc_;
    std::size_t pos_ = 0;
    std::uint32_t keyPos_ = 0, keyLen_ = 0;
    bool keyInSource_ = false;
};

}  // namespace

bool parseJsonFast(std::string_view text, const JsonLimits& limits, JsonDocument& doc) {
    doc.clear();
    if constexpr (!kFastPaths) return false;  // parseJson takes the reference parser
    // Recursion depth is bounded by limits.maxDepth; very deep limits are left to the
    // iterative nlohmann parser so that no input can exhaust the stack.
    if (limits.maxDepth > 256) return false;
    // Offsets into the text are 32-bit, like pool offsets.
    if (text.size() > 0xffffffffu) return false;
    doc.source = text;
    FastParser fast(text, limits, doc);
    if (fast.parse()) return true;
    doc.clear();
    return false;
}

bool parseJson(std::string_view text, const JsonLimits& limits, JsonDocument& doc,
               JsonParseError& error) {
    return parseJsonFast(text, limits, doc) || parseJsonReference(text, limits, doc, error);
}

bool parseJsonReference(std::string_view text, const JsonLimits& limits, JsonDocument& doc,
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
    bool plain = true;  // the usual case: nothing to escape, one append
    for (char c : key) plain &= c != '~' && c != '/';
    if (plain) {
        pointer.append(key);
        return;
    }
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
    if (index < 10) {
        pointer += static_cast<char>('0' + index);
        return;
    }
    pointer += std::to_string(index);
}

}  // namespace flopledger::inline v1::detail::recjson
