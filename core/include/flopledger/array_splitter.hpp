#pragma once
// Splitting a JSON array of records into its elements without building the document, so that a
// registry given as one JSON array (or as {"records": [...]}) can be streamed record by record
// like JSON Lines: memory is one element, whatever the array's length (issue 18).
#include <flopledger/diagnostic.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace flopledger {
inline namespace v1 {

class RecordArraySplitter {
public:
    /// Receives the bytes of the current element (possibly in several pieces).
    using BytesFn = std::function<void(const char* data, std::size_t size)>;
    /// Called when an element is complete: its first line (1-based) and index. Return false to
    /// stop splitting.
    using EndFn = std::function<bool(std::size_t line, std::size_t index)>;

    /// True when `head` (the first bytes of a document) starts a top-level array or an object
    /// whose first member is "records", i.e. a document this class can split.
    static bool splittable(std::string_view head);

    RecordArraySplitter(BytesFn bytes, EndFn end);

    /// Feeds the next chunk; false once splitting stopped (an error or EndFn returned false).
    bool feed(std::string_view chunk);
    /// At the end of input: false with `error` when the array was not complete or other text
    /// follows it.
    bool finish(Diagnostic& error);
    /// The error that stopped feed(), if any (code Ok = none: JsonSyntax otherwise).
    const Diagnostic* error() const { return failed_ ? &error_ : nullptr; }
    /// "" for a top-level array, "/records" for {"records": [...]}.
    const std::string& pointerBase() const { return base_; }
    std::size_t elements() const { return index_; }

private:
    enum class State { Start, Key, AfterKey, Colon, Value, Elements, InElement, After, Done };
    bool fail(std::string message);
    bool step(char c);
    bool closeElement();

    BytesFn bytes_;
    EndFn end_;
    State state_ = State::Start;
    std::string base_;
    std::string key_;
    std::size_t line_ = 1;
    std::size_t elementLine_ = 0;
    std::size_t index_ = 0;
    std::size_t depth_ = 0;       ///< nesting inside the current element
    std::size_t outerDepth_ = 0;  ///< After: nesting of the rest of a {"records"} object
    bool inString_ = false;
    bool escaped_ = false;
    bool scalar_ = false;  ///< the current element is not an object or array
    bool needComma_ = false;
    bool objectMode_ = false;
    std::size_t bomAt_ = 0;  ///< bytes of a leading byte-order mark matched so far
    bool failed_ = false;
    bool stopped_ = false;
    Diagnostic error_;
};

}  // inline namespace v1
}  // namespace flopledger
