#include <flopledger/array_splitter.hpp>

#include <utility>

namespace flopledger::inline v1 {
namespace {

bool space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

bool RecordArraySplitter::splittable(std::string_view head) {
    if (head.substr(0, 3) == "\xef\xbb\xbf") head.remove_prefix(3);
    std::size_t i = 0;
    while (i < head.size() && space(head[i])) ++i;
    if (i == head.size()) return false;
    if (head[i] == '[') return true;
    if (head[i] != '{') return false;
    ++i;
    while (i < head.size() && space(head[i])) ++i;
    return head.substr(i, 9) == "\"records\"";
}

RecordArraySplitter::RecordArraySplitter(BytesFn bytes, EndFn end)
    : bytes_(std::move(bytes)), end_(std::move(end)) {}

bool RecordArraySplitter::fail(std::string message) {
    failed_ = true;
    error_ = Diagnostic{Severity::Error, ErrorCode::JsonSyntax, {}, line_, {}, std::move(message)};
    return false;
}

bool RecordArraySplitter::closeElement() {
    needComma_ = true;
    const std::size_t index = index_++;
    if (!end_(elementLine_, index)) {
        stopped_ = true;
        return false;
    }
    return true;
}

// One byte outside an element (elements are handled in feed()). False on an error.
bool RecordArraySplitter::step(char c) {
    switch (state_) {
        case State::Start:
            if (space(c)) return true;
            if (c == '[') {
                state_ = State::Elements;
                return true;
            }
            if (c == '{') {
                objectMode_ = true;
                base_ = "/records";
                state_ = State::Key;
                return true;
            }
            return fail("expected a JSON array of records");
        case State::Key:  // {"records" ...: only the first member's name is read
            if (space(c)) return true;
            if (c != '"') return fail("expected \"records\" as the first member");
            state_ = State::AfterKey;
            key_.clear();
            return true;
        case State::AfterKey:
            if (c == '"') {
                if (key_ != "records") return fail("expected \"records\" as the first member");
                state_ = State::Colon;
            } else if (key_.size() < 16) {
                key_ += c;
            } else {
                return fail("expected \"records\" as the first member");
            }
            return true;
        case State::Colon:
            if (space(c)) return true;
            if (c != ':') return fail("expected ':' after \"records\"");
            state_ = State::Value;
            return true;
        case State::Value:
            if (space(c)) return true;
            if (c != '[') {
                fail("'records' must be an array of records");
                error_.code = ErrorCode::WrongType;
                error_.pointer = "/records";
                return false;
            }
            state_ = State::Elements;
            return true;
        case State::Elements:
            if (space(c)) return true;
            if (c == ']') {
                state_ = objectMode_ ? State::After : State::Done;
                outerDepth_ = objectMode_ ? 1 : 0;
                return true;
            }
            if (c == ',') {
                if (!needComma_) return fail("unexpected ',' in the array of records");
                needComma_ = false;
                return true;
            }
            return fail("expected ',' or ']' after a record");
        case State::After:  // the rest of {"records": [...], ...}: other members are skipped
            if (inString_) {
                if (escaped_) {
                    escaped_ = false;
                } else if (c == '\\') {
                    escaped_ = true;
                } else if (c == '"') {
                    inString_ = false;
                }
                return true;
            }
            if (c == '"') {
                inString_ = true;
            } else if (c == '{' || c == '[') {
                ++outerDepth_;
            } else if (c == '}' || c == ']') {
                if (--outerDepth_ == 0) state_ = State::Done;
            }
            return true;
        case State::Done:
            if (space(c)) return true;
            return fail("unexpected text after the end of the array of records");
        case State::InElement:
            break;
    }
    return true;
}

bool RecordArraySplitter::feed(std::string_view chunk) {
    if (failed_ || stopped_) return false;
    // A byte-order mark is skipped even when the chunks split it.
    static constexpr std::string_view kBom = "\xef\xbb\xbf";
    while (bomAt_ < kBom.size() && !chunk.empty()) {
        if (chunk.front() != kBom[bomAt_]) {
            if (bomAt_ != 0) return fail("a broken byte-order mark");
            bomAt_ = kBom.size();
            break;
        }
        ++bomAt_;
        chunk.remove_prefix(1);
    }
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    // Start of the current element's bytes in this chunk (an element may span chunks).
    const char* run = state_ == State::InElement ? p : nullptr;
    while (p < end) {
        const char c = *p;
        if (state_ != State::InElement) {
            if (state_ == State::Elements && !space(c) && c != ',' && c != ']') {
                if (needComma_) return fail("expected ',' or ']' after a record");
                state_ = State::InElement;
                elementLine_ = line_;
                depth_ = 0;
                inString_ = false;
                escaped_ = false;
                scalar_ = c != '{' && c != '[';
                run = p;
                continue;  // the byte is read again as the element's first
            }
            if (c == '\n') ++line_;
            if (!step(c)) return false;
            ++p;
            continue;
        }
        // Inside an element: strings, nesting; a scalar ends before ',' ']' or a space.
        if (inString_) {
            if (escaped_) {
                escaped_ = false;
            } else if (c == '\\') {
                escaped_ = true;
            } else if (c == '"') {
                inString_ = false;
            } else if (c == '\n') {
                ++line_;
            }
            ++p;
            continue;
        }
        if (scalar_ && depth_ == 0 && (space(c) || c == ',' || c == ']')) {
            bytes_(run, static_cast<std::size_t>(p - run));
            run = nullptr;
            state_ = State::Elements;
            if (!closeElement()) return false;
            continue;  // the terminator is read again outside the element
        }
        ++p;
        if (c == '\n') {
            ++line_;
        } else if (c == '"') {
            inString_ = true;
        } else if (c == '{' || c == '[') {
            ++depth_;
        } else if ((c == '}' || c == ']') && !scalar_) {
            if (depth_ == 0) return fail("unbalanced brackets in a record");
            if (--depth_ == 0) {
                bytes_(run, static_cast<std::size_t>(p - run));
                run = nullptr;
                state_ = State::Elements;
                if (!closeElement()) return false;
            }
        }
    }
    if (run != nullptr) bytes_(run, static_cast<std::size_t>(end - run));
    return true;
}

bool RecordArraySplitter::finish(Diagnostic& error) {
    if (failed_) {
        error = error_;
        return false;
    }
    if (stopped_ || state_ == State::Done) return true;
    if (state_ == State::InElement && scalar_ && !inString_) {
        // A scalar element at the very end: the array is still unclosed.
        fail("unexpected end of input; expected ']'");
    } else {
        fail(state_ == State::Start ? "the input is empty"
                                    : "unexpected end of input; the array of records is not "
                                      "closed");
    }
    error = error_;
    return false;
}

}  // namespace flopledger
