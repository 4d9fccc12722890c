#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer drivers (fuzz_*.cpp) and the replay of
// tests/fuzz/regressions/ in the unit tests (tests/unit/test_fuzz_regressions.cpp), so a crash
// found by fuzzing is re-checked on every ordinary build.
//
// Expected rejections (InputError) are fine; anything else escaping, a sanitizer report or a
// broken invariant (FuzzInvariantError) is a finding.
#include <flopledger/array_splitter.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#if __has_include(<flopledger/what_if_record.hpp>)
#include <flopledger/what_if_record.hpp>
#endif
#include <algorithm>
#include <utility>

#if __has_include(<flopledger/epoch_import.hpp>)
#include <flopledger/epoch_import.hpp>
#define FLOPLEDGER_FUZZ_HAVE_EPOCH 1
#endif

namespace flopledger::inline v1::fuzz {

/// A property that must hold for every input did not.
class FuzzInvariantError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

inline void check(bool condition, const char* what) {
    if (!condition) {
        throw FuzzInvariantError(what);
    }
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Records read from fuzzed text are estimated and assessed with few Monte Carlo samples, as of a
/// fixed date, so one input costs milliseconds.
inline AssessOptions fuzzAssessOptions() {
    AssessOptions options;
    options.asOf = {Date{2026, 1, 1}};
    options.monteCarlo.samples = 8;
    return options;
}

/// parseExact: accepted text must give a value whose exact decimal reads back to the same value.
inline void parseExactOne(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = asText(data, size);
    Exact value;
    try {
        value = parseExact(text);
    } catch (const InputError& e) {
        check(!e.diagnostic().message.empty(), "parseExact: rejection without a message");
        return;
    }
    // Decimal inputs terminate, so formatExact is exact and must round-trip. The plain decimal
    // of an accepted value can be longer than the input, hence the generous length limit.
    NumberLimits wide;
    wide.maxLength = 100000;
    wide.minExponent = -100;
    wide.maxExponent = 100;
    const std::string decimal = formatExact(value);
    check(parseExact(decimal, wide) == value, "parseExact: formatExact does not round-trip");
    check(!formatScientific(value, 3).empty(), "formatScientific: empty");
    if (value > 0) {
        const double l = log10Exact(value);
        check(l > -40.0 && l < 70.0, "log10Exact outside the accepted exponent range");
    }
}

/// RecordReader::readText (JSON, {"records"}, JSON Lines): every accepted record serialises and
/// reads back, and estimates and assesses without anything but InputError escaping.
inline void recordReaderOne(const std::uint8_t* data, std::size_t size) {
    static const Assessor assessor(fuzzAssessOptions());
    const RecordReader reader;
    const ReadResult result = reader.readText(asText(data, size), "fuzz.json");
    for (const Diagnostic& d : result.diagnostics) {
        check(!d.message.empty(), "reader: diagnostic without a message");
        check(d.message.find('\n') == std::string::npos, "reader: multi-line diagnostic");
    }
    if (!result.ok()) {
        return;
    }
    for (const Record& record : result.records) {
        const std::string json = toJson(record);
        const ReadResult again = reader.readText(json, "roundtrip.json");
        check(again.ok() && again.records.size() == 1, "toJson output does not read back");
        check(toJson(again.records.front()) == json, "toJson is not stable under a re-read");
        try {
            const RecordAssessment assessed = assessor.assess(record);
            check(!assessJson(assessed, 0).empty(), "assessJson: empty");
        } catch (const InputError&) {
            // e.g. a shape the estimator refuses: a diagnosed rejection
        }
    }
}

/// RecordReader::parseLine, the stream engine's JSON Lines path (which reads the usual record
/// straight from its text, records/record_direct.cpp, and everything else through the JSON
/// document and RecordBuilder), against readText of the same line (always the document and
/// RecordBuilder): a line parseLine accepts, readText accepts too, with the same record. The
/// direct reader is a second reader kept in step with RecordBuilder by hand: this is its check.
inline void recordLineOne(const std::uint8_t* data, std::size_t size) {
    std::string_view line = asText(data, size);
    line = line.substr(0, line.find('\n'));
    const RecordReader reader;
    std::optional<Record> fast;
    try {
        fast = reader.parseLine(line, "fuzz.jsonl", 1);
    } catch (const InputError& e) {
        check(!e.diagnostic().message.empty(), "parseLine: rejection without a message");
        check(e.diagnostic().message.find('\n') == std::string::npos,
              "parseLine: multi-line diagnostic");
    }
    if (!fast) {
        return;
    }
    const ReadResult reference = reader.readText(line, "fuzz.jsonl");
    check(reference.ok() && reference.records.size() == 1,
          "parseLine accepts a line that readText rejects");
    check(toJson(*fast) == toJson(reference.records.front()),
          "parseLine and readText read different records from one line");
}

/// PolicyCatalog::parse / validate: a document parse() accepts has no validate() error, and
/// its description can be written.
inline void policyOne(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = asText(data, size);
    const std::vector<Diagnostic> problems = PolicyCatalog::validate(text, "fuzz.json");
    bool hasError = false;
    for (const Diagnostic& d : problems) {
        check(!d.message.empty(), "policy: diagnostic without a message");
        hasError = hasError || d.severity == Severity::Error;
    }
    try {
        const Policy policy = PolicyCatalog::parse(text, "fuzz.json");
        check(!hasError, "policy: parse() accepts what validate() rejects");
        check(!describePolicy(policy).empty(), "policy: empty description");
    } catch (const InputError& e) {
        check(!e.diagnostic().message.empty(), "policy: rejection without a message");
    }
}

/// HardwareCatalog::fromJson: accepted tables have findable ids and positive dense peaks.
inline void hardwareOne(const std::uint8_t* data, std::size_t size) {
    try {
        const HardwareCatalog catalog = HardwareCatalog::fromJson(asText(data, size), "fuzz.json");
        for (const Accelerator& a : catalog.all()) {
            check(catalog.find(a.id) != nullptr, "hardware: accepted id not findable");
            for (const auto& peak : a.peaks) {
                check(!peak || peak->dense > 0, "hardware: non-positive dense peak accepted");
            }
        }
    } catch (const InputError& e) {
        check(!e.diagnostic().message.empty(), "hardware: rejection without a message");
    }
}

#ifdef FLOPLEDGER_FUZZ_HAVE_EPOCH
/// The Epoch CSV importer: every imported record serialises and reads back as a valid record
/// (`flopledger import epoch X.csv | flopledger assess -` must not fail on its own output).
inline void epochCsvOne(const std::uint8_t* data, std::size_t size) {
    std::vector<Diagnostic> diags;
    const std::vector<ModelRecord> records = importEpochCsv(asText(data, size), "fuzz.csv", diags);
    for (const Diagnostic& d : diags) {
        check(!d.message.empty(), "epoch: diagnostic without a message");
    }
    const RecordReader reader;
    for (const ModelRecord& record : records) {
        const std::string json = toJson(Record(record));
        const ReadResult again = reader.readText(json, "imported.jsonl");
        check(again.ok() && again.records.size() == 1, "imported record does not read back");
    }
}
#endif

/// RecordArraySplitter (streamed arrays, issue 18): the elements do not depend on how the input
/// is cut into chunks (one piece, then a chunking derived from the input), lines never go back,
/// and every element reads as a record or is rejected with an InputError.
inline void arraySplitterOne(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = asText(data, size);
    struct Split {
        std::vector<std::string> elements;
        std::vector<std::size_t> lines;
        bool ok = false;
    };
    auto split = [&](std::size_t chunk) {
        Split out;
        std::string current;
        RecordArraySplitter splitter([&](const char* p, std::size_t n) { current.append(p, n); },
                                     [&](std::size_t line, std::size_t) {
                                         out.elements.push_back(std::move(current));
                                         current.clear();
                                         out.lines.push_back(line);
                                         return out.elements.size() < 10000;
                                     });
        bool going = true;
        for (std::size_t at = 0; going && at < text.size(); at += chunk)
            going = splitter.feed(text.substr(at, chunk));
        Diagnostic d;
        out.ok = splitter.finish(d);
        if (!out.ok) check(!d.message.empty(), "splitter: an error without a message");
        return out;
    };
    const Split whole = split(text.size() + 1);
    const Split pieces = split(1 + (size > 0 ? data[0] % 7 : 0));
    check(whole.elements == pieces.elements, "splitter: elements depend on the chunking");
    check(whole.ok == pieces.ok, "splitter: the verdict depends on the chunking");
    check(std::is_sorted(whole.lines.begin(), whole.lines.end()), "splitter: lines go back");
    const RecordReader reader;
    for (std::size_t i = 0; i < whole.elements.size() && i < 64; ++i) {
        check(!whole.elements[i].empty(), "splitter: an empty element");
        try {
            reader.parseLine(whole.elements[i], "fuzz.json", whole.lines[i]);
        } catch (const InputError& e) {
            check(!e.diagnostic().message.empty(), "parseLine: diagnostic without a message");
        }
    }
}

#if __has_include(<flopledger/what_if_record.hpp>)
/// recordFromFields (the CLI's record-from-flags): lines "name=value"; the name is picked from
/// recordFieldNames() by its first byte so that every field is reached. Only InputError may
/// escape, an accepted record is one valid record, and it estimates.
inline void recordFromFlagsOne(const std::uint8_t* data, std::size_t size) {
    static const Assessor assessor(fuzzAssessOptions());
    const std::vector<std::string>& names = recordFieldNames();
    std::vector<std::pair<std::string, std::string>> fields;
    std::string_view text = asText(data, size);
    while (!text.empty() && fields.size() < 64) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        if (line.empty()) continue;
        const auto pick = static_cast<unsigned char>(line.front());
        line.remove_prefix(1);
        // A byte above the table's size keeps the raw name (unknown fields are tested too).
        const std::size_t eq = line.find('=');
        std::string name = pick < names.size() ? names[pick] : std::string(line.substr(0, eq));
        std::string value(eq == std::string_view::npos ? line : line.substr(eq + 1));
        fields.emplace_back(std::move(name), std::move(value));
    }
    const RecordReader reader;
    try {
        const ReadResult r = recordFromFields(fields, reader);
        for (const Diagnostic& d : r.diagnostics)
            check(d.message.find('\n') == std::string::npos, "flags: multi-line diagnostic");
        if (!r.ok()) return;
        check(r.records.size() == 1, "flags: an accepted input is not one record");
        try {
            const RecordAssessment assessed = assessor.assess(r.records.front());
            check(!assessJson(assessed, 0).empty(), "flags: empty assessJson");
        } catch (const InputError&) {
        }
    } catch (const InputError& e) {
        check(!e.diagnostic().message.empty(), "flags: diagnostic without a message");
    }
}
#define FLOPLEDGER_FUZZ_HAVE_FLAGS 1
#endif

}  // namespace flopledger::fuzz
