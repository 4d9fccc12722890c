// Reading registries (docs/data-format.md): format detection, JSON -> records with exact numbers,
// located diagnostics, and the semantic checks of validate().
#include <flopledger/input_files.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/registry_layers.hpp>

#include "base/exact_detail.hpp"
#include "base/exact_fast.hpp"
#include "io/json_sax.hpp"
#include "records/blank_records.hpp"
#include "records/record_builder.hpp"
#include "records/record_direct.hpp"
#include "records/record_fields.hpp"
#include "records/record_parse.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace flopledger::inline v1 {
namespace recjson = detail::recjson;
namespace {

using namespace detail::rec;  // NOLINT(google-build-using-namespace): the reader's own pieces

recjson::JsonLimits jsonLimits(const ReadLimits& l) {
    return {l.maxDepth, l.maxStringBytes};
}

Diagnostic makeError(ErrorCode code, const std::string& file, std::size_t line, std::string message,
                     std::string pointer = {}) {
    return Diagnostic{Severity::Error, code, file, line, std::move(pointer), std::move(message)};
}

// Checks that apply before any parsing: size, encoding. Returns false with a diagnostic.
bool checkText(std::string_view& text, const ReadLimits& limits, const std::string& file,
               std::vector<Diagnostic>& diags) {
    if (text.size() > limits.maxInputBytes) {
        diags.push_back(makeError(ErrorCode::InputTooLarge, file, 1,
                                  "input of " + std::to_string(text.size()) +
                                      " bytes is larger than the limit of " +
                                      std::to_string(limits.maxInputBytes)));
        return false;
    }
    if (text.size() >= 2 &&
        ((text[0] == '\xff' && text[1] == '\xfe') || (text[0] == '\xfe' && text[1] == '\xff'))) {
        diags.push_back(makeError(ErrorCode::Encoding, file, 1,
                                  "the input is UTF-16 (byte order mark); save it as UTF-8"));
        return false;
    }
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
    if (const void* nul = std::memchr(text.data(), 0, text.size())) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
        const auto line = 1 + static_cast<std::size_t>(std::count(
                                  text.begin(), text.begin() + static_cast<long>(at), '\n'));
        diags.push_back(makeError(ErrorCode::Encoding, file, line,
                                  "the input contains NUL bytes (UTF-16 or binary?); records "
                                  "must be UTF-8 text"));
        return false;
    }
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Registry-wide id bookkeeping for DuplicateId.
class IdRegistry {
public:
    // False (and a diagnostic) when the id was seen before.
    bool add(const Record& r, std::vector<Diagnostic>& diags) {
        const std::string& id = recordId(r);
        const SourceLocation& loc = recordLocation(r);
        auto [it, inserted] = seen_.emplace(id, loc);
        if (inserted) return true;
        std::string first =
            it->second.file == loc.file ? std::string("line ") : it->second.file + " line ";
        first += std::to_string(it->second.line);
        diags.push_back(makeError(ErrorCode::DuplicateId, loc.file, loc.line,
                                  "duplicate id '" + id + "' (first used at " + first + ")",
                                  loc.pointer + "/id"));
        return false;
    }

private:
    std::unordered_map<std::string, SourceLocation> seen_;
};

}  // namespace

bool ReadResult::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

RecordReader::RecordReader(ReadLimits limits, const HardwareCatalog* hardware)
    : limits_(limits), hardware_(hardware) {}

namespace {

// parseLine into `r`, a blank model record (blank_records.hpp: no 12 KB zero-fill).
void parseLineInto(const ReadLimits& limits, std::string_view line, const std::string& fileName,
                   std::size_t lineNumber, Record& r) {
    std::vector<Diagnostic> diags;
    if (line.size() > limits.maxLineBytes) {
        throw InputError(makeError(ErrorCode::InputTooLarge, fileName, lineNumber,
                                   "line of " + std::to_string(line.size()) +
                                       " bytes is longer than the limit of " +
                                       std::to_string(limits.maxLineBytes)));
    }
    if constexpr (detail::kFastPaths) {
        // The usual record straight from its text (record_direct.hpp); anything else, from
        // the start again through the document and RecordBuilder.
        if (ModelRecord* m = std::get_if<ModelRecord>(&r)) {
            if (readModelLineDirect(line, limits, fileName, lineNumber, *m)) return;
            *m = blankModel();
        }
    }
    thread_local JsonDocument doc;  // reused: streaming parses millions of lines
    recjson::JsonParseError err;
    if (!recjson::parseJson(line, jsonLimits(limits), doc, err))
        throw InputError(makeError(err.code, fileName, lineNumber, err.message, err.pointer));
    RecordBuilder builder(doc, limits, fileName, nullptr, lineNumber);
    if (!builder.build(doc.root(), "", r, diags)) throw InputError(diags.front());
}

}  // namespace

Record RecordReader::parseLine(std::string_view line, const std::string& fileName,
                               std::size_t lineNumber) const {
    // The JSON parser stops at a NUL byte, so text after one would go unread: refused here as
    // readText and the stream engine refuse it (fuzz target record_line).
    if (line.find('\0') != std::string_view::npos) {
        throw InputError(makeError(ErrorCode::Encoding, fileName, lineNumber,
                                   "the line contains NUL bytes (UTF-16 or binary?); records "
                                   "must be UTF-8 text"));
    }
    Record r(std::in_place_index<0>, blankModel());
    parseLineInto(limits_, line, fileName, lineNumber, r);
    return r;
}

std::shared_ptr<Record> detail::parseLineShared(const RecordReader& reader, std::string_view line,
                                                const std::string& fileName,
                                                std::size_t lineNumber) {
    auto r = std::make_shared<Record>(std::in_place_index<0>, blankModel());
    parseLineInto(reader.limits(), line, fileName, lineNumber, *r);
    return r;
}

std::shared_ptr<Record> detail::parseLineShared(const RecordReader& reader, std::string_view line,
                                                const std::string& fileName, std::size_t lineNumber,
                                                std::shared_ptr<Record>& spare) {
    if (!detail::kFastPaths || !spare || spare.use_count() != 1)
        return parseLineShared(reader, line, fileName, lineNumber);
    std::shared_ptr<Record> r = std::move(spare);
    // The same empty model a fresh record starts from; assignment keeps the buffers.
    if (ModelRecord* m = std::get_if<ModelRecord>(r.get()))
        *m = blankModel();
    else
        r->emplace<ModelRecord>(blankModel());
    parseLineInto(reader.limits(), line, fileName, lineNumber, *r);
    return r;
}

ReadResult RecordReader::readText(std::string_view text, const std::string& fileName) const {
    ReadResult result;
    auto& diags = result.diagnostics;
    if (!checkText(text, limits_, fileName, diags)) return result;

    // Format detection: '[' array; '{' either one document or JSON Lines.
    std::size_t start = 0;
    while (start < text.size() && std::strchr(" \t\r\n", text[start]) != nullptr && text[start])
        ++start;
    if (start == text.size()) return result;  // an empty registry is valid

    bool jsonLines = false;
    if (text[start] == '{') {
        // JSON Lines when the first line is a complete JSON value and more follows it, or when
        // the whole text is not one document but its second non-blank line is.
        const std::size_t eol = text.find('\n', start);
        if (eol != std::string_view::npos &&
            text.find_first_not_of(" \t\r\n", eol) != std::string_view::npos) {
            JsonDocument probe;
            recjson::JsonParseError err;
            const auto firstLine = text.substr(start, eol - start);
            if (recjson::parseJson(firstLine, jsonLimits(limits_), probe, err)) {
                jsonLines = true;
            } else if (!recjson::parseJson(text, jsonLimits(limits_), probe, err) &&
                       err.code == ErrorCode::JsonSyntax) {
                const std::size_t next = text.find_first_not_of(" \t\r\n", eol);
                const std::size_t eol2 = text.find('\n', next);
                const auto secondLine = text.substr(
                    next, eol2 == std::string_view::npos ? std::string_view::npos : eol2 - next);
                jsonLines = recjson::parseJson(secondLine, jsonLimits(limits_), probe, err);
            }
        }
    }

    IdRegistry ids;
    std::size_t count = 0;
    auto accept = [&](Record&& r) {
        if (++count > limits_.maxRecords) {
            if (count == limits_.maxRecords + 1)
                diags.push_back(makeError(ErrorCode::InputTooLarge, fileName,
                                          recordLocation(r).line,
                                          "more than " + std::to_string(limits_.maxRecords) +
                                              " records; the rest are not read"));
            return false;
        }
        if (ids.add(r, diags)) result.records.push_back(std::move(r));
        return true;
    };

    if (jsonLines) {
        JsonDocument doc;
        std::size_t lineNumber = 0;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            const std::size_t eol = text.find('\n', pos);
            const std::size_t end = eol == std::string_view::npos ? text.size() : eol;
            const std::string_view line = text.substr(pos, end - pos);
            ++lineNumber;
            pos = end + 1;
            if (!trimmed(line).empty()) {
                if (line.size() > limits_.maxLineBytes) {
                    diags.push_back(makeError(ErrorCode::InputTooLarge, fileName, lineNumber,
                                              "line of " + std::to_string(line.size()) +
                                                  " bytes is longer than the limit of " +
                                                  std::to_string(limits_.maxLineBytes)));
                } else {
                    recjson::JsonParseError err;
                    if (!recjson::parseJson(line, jsonLimits(limits_), doc, err)) {
                        diags.push_back(
                            makeError(err.code, fileName, lineNumber, err.message, err.pointer));
                    } else {
                        RecordBuilder builder(doc, limits_, fileName, nullptr, lineNumber);
                        Record r(std::in_place_index<0>, blankModel());
                        if (builder.build(doc.root(), "", r, diags) && !accept(std::move(r))) break;
                    }
                }
            }
            if (eol == std::string_view::npos) break;
        }
        return result;
    }

    const recjson::LineIndex lines(text);
    JsonDocument doc;
    recjson::JsonParseError err;
    if (!recjson::parseJson(text, jsonLimits(limits_), doc, err)) {
        diags.push_back(
            makeError(err.code, fileName, lines.lineOf(err.offset), err.message, err.pointer));
        return result;
    }
    RecordBuilder builder(doc, limits_, fileName, &lines, 0);
    const JsonNode& root = doc.root();
    const JsonNode* array = nullptr;
    std::string base;
    if (root.kind == JsonKind::Array) {
        array = &root;
    } else if (root.kind == JsonKind::Object) {
        bool hasRecords = false;
        for (auto i = root.first; i != kNoNode; i = doc.node(i).next)
            hasRecords = hasRecords || doc.key(doc.node(i)) == "records";
        if (!hasRecords) {
            Record r(std::in_place_index<0>, blankModel());
            if (builder.build(root, "", r, diags)) accept(std::move(r));
            return result;
        }
        for (auto i = root.first; i != kNoNode; i = doc.node(i).next) {
            const JsonNode& m = doc.node(i);
            const std::string_view k = doc.key(m);
            std::string ptr;
            recjson::appendPointer(ptr, k);
            if (k == "records") {
                if (m.kind != JsonKind::Array) {
                    diags.push_back(makeError(ErrorCode::WrongType, fileName,
                                              lines.lineOf(m.offset),
                                              "'records' must be an array of records", ptr));
                    return result;
                }
                array = &m;
                base = "/records";
            } else if (!contains(kRegistryFields, k)) {
                diags.push_back(makeError(ErrorCode::UnknownField, fileName, lines.lineOf(m.offset),
                                          "unknown field " + quote(k) + " next to \"records\"" +
                                              suggestion(k, kRegistryFields),
                                          ptr));
            }
        }
    } else {
        diags.push_back(makeError(ErrorCode::WrongType, fileName, lines.lineOf(root.offset),
                                  "a registry must be a JSON array of records, an object with "
                                  "\"records\", a record object or JSON Lines"));
        return result;
    }
    std::size_t index = 0;
    for (auto i = array->first; i != kNoNode; i = doc.node(i).next, ++index) {
        std::string ptr = base;
        recjson::appendPointer(ptr, index);
        Record r(std::in_place_index<0>, blankModel());
        if (builder.build(doc.node(i), ptr, r, diags) && !accept(std::move(r))) break;
    }
    return result;
}

ReadResult RecordReader::readPath(const std::string& path) const {
    namespace fs = std::filesystem;
    if (path == "-") {
        std::string text;
        char buf[65536];
        while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
            text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
            if (text.size() > limits_.maxInputBytes) break;
        }
        return readText(text, "-");
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        // An unreadable folder is an error, never an empty registry (issue 18).
        std::vector<std::string> files;
        ReadResult all;
        if (!listRecordFiles(path, files, all.diagnostics)) return all;
        if (limits_.lowerLayers && fs::is_directory(fs::path(path) / "epoch", ec))
            return readLayeredDirectory(path, limits_);
        IdRegistry ids;
        for (const auto& f : files) {
            ReadResult one = readPath(f);
            for (auto& d : one.diagnostics) all.diagnostics.push_back(std::move(d));
            for (auto& r : one.records) {
                if (all.records.size() >= limits_.maxRecords) {
                    all.diagnostics.push_back(
                        makeError(ErrorCode::InputTooLarge, f, 0,
                                  "more than " + std::to_string(limits_.maxRecords) + " records"));
                    return all;
                }
                if (ids.add(r, all.diagnostics)) all.records.push_back(std::move(r));
            }
        }
        return all;
    }
    std::string text;
    ReadResult r;
    // Unreadable files are errors with the path; FIFOs are read with a timeout.
    if (!readInput(path, text, limits_.maxInputBytes, r.diagnostics)) return r;
    return readText(text, path);
}

std::vector<std::string_view> knownObjectKinds() {
    return {"model",        "cluster",           "architecture", "moe",
            "stage",        "hardware",          "parent",       "reported",
            "source",       "interval",          "registry",     "attention",
            "local_global", "chunked_attention", "ssm",          "vision"};
}

std::vector<std::string_view> knownFields(std::string_view kind) {
    if (kind == "model") return toVector(kModelFields);
    if (kind == "cluster") return toVector(kClusterFields);
    if (kind == "architecture") return toVector(kArchitectureFields);
    if (kind == "moe") return toVector(kMoeFields);
    if (kind == "attention") return toVector(kMlaFields);
    if (kind == "local_global") return toVector(kLocalGlobalFields);
    if (kind == "chunked_attention") return toVector(kChunkedFields);
    if (kind == "ssm") return toVector(kSsmFields);
    if (kind == "vision") return toVector(kVisionFields);
    if (kind == "stage") return toVector(kStageFields);
    if (kind == "hardware") return toVector(kHardwareFields);
    if (kind == "parent") return toVector(kParentFields);
    if (kind == "reported") return toVector(kReportedFields);
    if (kind == "source") return toVector(kSourceFields);
    if (kind == "interval") return toVector(kIntervalFields);
    if (kind == "registry") return toVector(kRegistryFields);
    return {};
}

}  // namespace flopledger::inline v1