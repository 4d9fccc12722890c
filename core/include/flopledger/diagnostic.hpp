#pragma once
// Diagnostics with stable codes and a location (file, line, JSON pointer), in the contract's
// form FILE:LINE[:JSON-POINTER]: error CODE: message. The catalogue is docs/errors.md.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Stable error codes. Numbers never change meaning once released; new codes are appended.
/// 1xx numbers, 2xx syntax/encoding, 3xx records, 4xx policies, 5xx hardware, 6xx import,
/// 7xx usage and limits, 8xx warnings, 9xx internal.
enum class ErrorCode : std::uint16_t {
    NumberSyntax = 101,      ///< not a number ("abc", "1.2.3", "NaN", "inf")
    NumberRange = 102,       ///< decimal exponent outside the accepted bounds
    NumberNegative = 103,    ///< negative where a count is expected
    NumberZero = 104,        ///< zero where a divisor or positive count is expected
    NumberNotInteger = 105,  ///< a fraction where a whole count is expected
    NumberOutOfRange = 106,  ///< outside the field's allowed range (e.g. utilization > 1)
    IntervalOrder = 107,     ///< low > central or central > high
    BadDistribution = 108,   ///< unknown distribution name

    JsonSyntax = 201,     ///< malformed JSON (truncated, bad token)
    Encoding = 202,       ///< not UTF-8 (UTF-16, binary); BOM is accepted and skipped
    JsonDepth = 203,      ///< nesting deeper than the limit
    InputTooLarge = 204,  ///< file, string, number or record count over its limit
    CsvSyntax = 205,      ///< malformed CSV (unterminated quote)

    WrongType = 301,             ///< a field has the wrong JSON type
    MissingField = 302,          ///< a required field is absent
    UnknownField = 303,          ///< a field the format does not define (with "did you mean")
    BadId = 304,                 ///< id does not match [a-z0-9][a-z0-9._/-]*
    DuplicateId = 305,           ///< id used twice in one registry
    BadDate = 306,               ///< not YYYY, YYYY-MM or YYYY-MM-DD, or no such day
    BadEnum = 307,               ///< value not in the allowed set (with "did you mean")
    ShapeMismatch = 308,         ///< architecture that cannot exist (heads do not divide, ...)
    MissingInputs = 309,         ///< a stage no method can estimate
    UnknownAccelerator = 310,    ///< accelerator id not in the hardware table
    UnsupportedPrecision = 311,  ///< accelerator publishes no dense peak for that precision
    BadLatentAttention = 315,    ///< MLA ranks or head widths that do not fit
    BadWindow = 316,             ///< sliding window / local-global / chunk of 0, or two at once
    BadSsmShape = 317,           ///< state-space layers that do not fit the model
    BadVisionTower = 318,        ///< vision tower that cannot exist
    FeatureFamily = 319,         ///< a v2 decoder feature on another family

    PolicyInvalid = 401,      ///< a policy file breaks the policy format
    UnknownPolicy = 402,      ///< --policy names no shipped or loaded policy
    UnknownMetric = 403,      ///< condition metric not known
    HardwareInvalid = 501,    ///< a hardware file breaks its format
    ImportInvalid = 601,      ///< an Epoch CSV row or header that cannot be imported
    SupersededUnknown = 602,  ///< a curated record supersedes no row of the layer beneath
    SupersededTwice = 603,    ///< two curated records supersede the same row
    LayerIdCollision = 604,   ///< a curated id equals a lower-layer id it does not supersede

    Usage = 701,               ///< bad command-line usage
    FileNotFound = 702,        ///< cannot open an input
    FileWrite = 703,           ///< cannot write an output
    LimitExceeded = 704,       ///< reserved: limits are reported as InputTooLarge (E204)
    InconsistentRecord = 710,  ///< a record built in code breaks an invariant the reader keeps

    ParamMismatch = 801,       ///< warning: stated params differ >5% from the shape
    ImpliedUtilization = 802,  ///< warning: implied utilization implausible
    AssumptionUsed = 803,      ///< note: a default was assumed (utilization, precision)
    ReportedMismatch = 804,    ///< warning: reported figure disagrees with the inputs
    ConfidenceInterval = 805,  ///< note: a labelled point read as an interval (contract 7.2)
    UnknownConfidence = 806,   ///< warning: a confidence label outside Epoch's vocabulary
    ImplausibleCompute = 810,  ///< warning: an imported compute figure is implausible, not used
    ExportArtefact = 811,      ///< warning: an imported figure's spurious trailing digit removed

    StageNotEstimated = 815,   ///< warning: a stage no method can estimate, or undisclosed
                               ///< compute (was E309 before v2; counted as 0 FLOP)

    Internal = 901,

    // Issue 18 (reliability): inputs that cannot be read, empty inputs, gates.
    EmptyInput = 206,          ///< a record input holds nothing (empty, blank, closed stdin)
    Unreadable = 207,          ///< an input exists but cannot be read (permission, I/O error)
    InputTimeout = 208,        ///< a FIFO or device gave no data within the timeout
    SkippedEntry = 209,        ///< warning: a directory entry skipped (dangling link, loop)
    ParentCycle = 320,         ///< a record is its own ancestor (self-parent or a cycle)
    UnknownParent = 321,       ///< warning: a parent id names no record of the registry
    EmptyPolicyList = 720,     ///< --policy given but naming no policy ("", ",,,")
    NoPolicies = 721,          ///< a policies/ folder holds no policy
    RendererFailed = 722,      ///< the plot renderer failed
};

enum class Severity { Error, Warning, Note };

/// "E101"-style code text; warnings and notes are "W8xx".
std::string codeText(ErrorCode code);
/// Short identifier of the code, e.g. "number-syntax".
std::string_view codeName(ErrorCode code);
/// Every code, in numeric order (for the catalogue docs/errors.md and its test).
std::vector<ErrorCode> allErrorCodes();

struct Diagnostic {
    Severity severity = Severity::Error;
    ErrorCode code = ErrorCode::Internal;
    std::string file;      ///< "" when not known; "-" for stdin
    std::size_t line = 0;  ///< 1-based; 0 when not known
    std::string pointer;   ///< RFC 6901 JSON pointer, e.g. "/stages/0/tokens"; may be empty
    std::string message;   ///< one line, says what to change

    /// FILE:LINE[:JSON-POINTER]: error CODE: message  (parts that are unknown are omitted)
    std::string toString() const;
};

/// Thrown for invalid input. Carries one diagnostic; callers fill in the location they know.
class InputError : public std::runtime_error {
public:
    explicit InputError(Diagnostic diagnostic);
    InputError(ErrorCode code, std::string message, std::string pointer = {});
    const Diagnostic& diagnostic() const noexcept { return diagnostic_; }
    Diagnostic& diagnostic() noexcept { return diagnostic_; }

private:
    Diagnostic diagnostic_;
};

/// The closest of `candidates` to `word` by edit distance, or "" if none is close enough.
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // inline namespace v1
}  // namespace flopledger
