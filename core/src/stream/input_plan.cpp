// How each input is read (input_plan.hpp): format sniffing, folders, whole documents.
#include "stream/input_plan.hpp"

#include <flopledger/array_splitter.hpp>
#include <flopledger/input_files.hpp>
#include <flopledger/stream.hpp>

#include <fcntl.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace flopledger::inline v1 {
namespace detail {
namespace {

// True when the line holds one complete JSON object (braces balance outside strings), i.e. the
// input is JSON Lines rather than a pretty-printed document.
bool completeObjectLine(std::string_view line) {
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool started = false;
    for (char c : line) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
            started = true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return started && depth == 0 && !inString;
}

std::string_view trimLeft(std::string_view s) {
    if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") {
        s.remove_prefix(3);
    }
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    return s;
}

}  // namespace

// "" for a top-level array, "/records" for {"records": [...]}: the pointer of its elements.
std::string arrayBase(std::string_view head) {
    const std::size_t at = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return at != std::string_view::npos && head[at] == '{' ? "/records" : "";
}

Diagnostic inputError(ErrorCode code, const std::string& path, std::string message) {
    return Diagnostic{Severity::Error, code, path, 0, {}, std::move(message)};
}

namespace {

bool hasError(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

// Reads the first bytes of an input, enough to tell its format: through the end of the first
// non-blank line (at most `limit` bytes).
void readHead(Input& in, std::size_t limit) {
    std::vector<char> buf(std::size_t{1} << 16);
    std::size_t scanned = 0;
    bool nonBlank = false;
    while (in.pending.size() <= limit) {
        const std::size_t n = in.read(buf.data(), buf.size());
        if (n == 0) {
            return;
        }
        in.pending.append(buf.data(), n);
        if (!nonBlank && blankText(in.pending)) {
            // Leading blank lines are counted, not kept: a gigabyte of them costs no memory.
            const std::size_t lastNl = in.pending.rfind('\n');
            if (lastNl != std::string::npos) {
                in.skippedLines += static_cast<std::size_t>(
                    std::count(in.pending.begin(), in.pending.begin() + lastNl + 1, '\n'));
                in.pending.erase(0, lastNl + 1);
            }
            scanned = 0;
            continue;
        }
        for (; scanned < in.pending.size(); ++scanned) {
            const char c = in.pending[scanned];
            if (c == '\n' && nonBlank) {
                return;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                nonBlank = true;
                if (c == '[') {
                    return;  // an array: nothing more is needed
                }
            }
        }
    }
}

// The first non-blank line of the head, without the BOM and leading blanks.
std::string_view firstLine(std::string_view head, std::size_t* after = nullptr) {
    std::size_t pos = 0;
    for (;;) {
        const std::size_t eol = head.find('\n', pos);
        std::string_view line =
            trimLeft(head.substr(pos, eol == std::string_view::npos ? eol : eol - pos));
        if (!line.empty() || eol == std::string_view::npos) {
            if (after != nullptr) {
                *after = eol == std::string_view::npos ? head.size() : eol + 1;
            }
            return line;
        }
        pos = eol + 1;
    }
}

// Plans one file or standard input (not a folder): streamed (JSON Lines, arrays) or whole.
void planOne(Input& in, bool isStdin, const RecordReader& reader, bool allowEmpty) {
    const ReadLimits& limits = reader.limits();
    readHead(in, limits.maxLineBytes);
    if (in.readErrno != 0) {
        in.whole.diagnostics.push_back(
            inputError(ErrorCode::Unreadable, in.path,
                       "cannot read '" + in.path + "': " + std::strerror(in.readErrno)));
        return;
    }
    if (blankText(in.pending)) {
        if (!allowEmpty) {
            in.whole.diagnostics.push_back(
                inputError(ErrorCode::EmptyInput, in.path,
                           (isStdin ? std::string("standard input") : "'" + in.path + "'") +
                               " is empty (pass --allow-empty to accept zero records)"));
        }
        return;
    }
    std::size_t after = 0;
    const std::string_view first = firstLine(in.pending, &after);
    const bool records = first.substr(0, 10).find("\"records\"") != std::string_view::npos;
    const bool completeFirst =
        !first.empty() && first.front() == '{' && completeObjectLine(first) && !records;
    // Standard input streams from one complete object line; a file needs a second line too
    // (a one-line .json file is a single record of the registry).
    bool lines =
        isJsonLinesPath(in.path) ||
        (completeFirst &&
         (isStdin ||
          !blankText(std::string_view(in.pending).substr(std::min(after, in.pending.size())))));
    if (completeFirst && !isStdin && !lines && in.pending.size() <= limits.maxLineBytes) {
        // Only the first line was read: more may follow it.
        std::vector<char> buf(std::size_t{1} << 16);
        const std::size_t n = in.read(buf.data(), buf.size());
        in.pending.append(buf.data(), n);
        lines = !blankText(std::string_view(in.pending).substr(std::min(after, in.pending.size())));
    }
    if (lines) {
        in.stream = true;
        return;
    }
    if (RecordArraySplitter::splittable(in.pending)) {
        in.stream = true;
        in.array = true;
        return;
    }
    // A single record object (or text that is none of these): read whole, up to the size of
    // one record, so that a document that cannot be streamed cannot exhaust memory either.
    // Dropped blank lines come back as newlines so that diagnostics keep their line numbers.
    std::string text(std::min(in.skippedLines, limits.maxLineBytes + 1), '\n');
    text += in.pending;
    std::string().swap(in.pending);
    std::vector<char> buf(std::size_t{1} << 16);
    while (text.size() <= limits.maxLineBytes) {
        const std::size_t n = in.read(buf.data(), buf.size());
        if (n == 0) {
            break;
        }
        text.append(buf.data(), n);
    }
    in.pending.clear();
    if (in.readErrno != 0) {
        in.whole.diagnostics.push_back(
            inputError(ErrorCode::Unreadable, in.path,
                       "cannot read '" + in.path + "': " + std::strerror(in.readErrno)));
        return;
    }
    if (text.size() > limits.maxLineBytes) {
        Diagnostic d = inputError(
            ErrorCode::InputTooLarge, in.path,
            "a document of more than " + std::to_string(limits.maxLineBytes) +
                " bytes that is neither a JSON array of records nor JSON Lines (one record "
                "must not be larger; arrays and JSON Lines are streamed)");
        d.line = 1;
        in.whole.diagnostics.push_back(std::move(d));
        return;
    }
    in.whole = reader.readText(text, in.path);
    in.fd = Fd();
}

}  // namespace

// Decides how each input is read and reads the whole documents. A folder becomes its .json and
// .jsonl files (sorted), each planned like a file given by name.
std::vector<Input> planInputs(const std::vector<std::string>& paths, const RecordReader& reader,
                              std::istream& stdinStream, bool allowEmpty) {
    std::vector<Input> inputs;
    auto fail = [&](const std::string& path, std::vector<Diagnostic> diags) {
        Input in;
        in.path = path;
        in.whole.diagnostics = std::move(diags);
        inputs.push_back(std::move(in));
    };
    for (const auto& path : paths) {
        if (path == "-") {
            Input in;
            in.path = "-";
            in.in = &stdinStream;
            if (&stdinStream == &std::cin && ::fcntl(STDIN_FILENO, F_GETFD) < 0) {
                if (!allowEmpty) {
                    fail("-", {inputError(ErrorCode::EmptyInput, "-",
                                          "standard input is closed (pass --allow-empty to "
                                          "accept zero records)")});
                }
                continue;
            }
            planOne(in, true, reader, allowEmpty);
            inputs.push_back(std::move(in));
            continue;
        }
        std::error_code ec;
        std::vector<std::string> files;
        if (reader.limits().lowerLayers && std::filesystem::is_directory(path, ec) &&
            std::filesystem::is_directory(std::filesystem::path(path) / "epoch", ec)) {
            // A layered registry (curated records over an epoch/ layer): read as one document.
            Input in;
            in.path = path;
            in.whole = reader.readPath(path);
            if (in.whole.records.empty() && in.whole.ok() && !allowEmpty) {
                in.whole.diagnostics.push_back(
                    inputError(ErrorCode::EmptyInput, path,
                               "folder '" + path +
                                   "' holds no record (pass --allow-empty to accept zero "
                                   "records)"));
            }
            inputs.push_back(std::move(in));
            continue;
        }
        if (std::filesystem::is_directory(path, ec)) {
            std::vector<Diagnostic> diags;
            if (!listRecordFiles(path, files, diags) || (files.empty() && !allowEmpty)) {
                if (diags.empty() || !hasError(diags)) {
                    diags.push_back(inputError(ErrorCode::EmptyInput, path,
                                               "folder '" + path +
                                                   "' holds no .json or .jsonl record file (pass "
                                                   "--allow-empty to accept zero records)"));
                }
                fail(path, std::move(diags));
                continue;
            }
            if (!diags.empty()) {
                fail(path, std::move(diags));  // warnings: skipped entries
            }
        } else {
            files.push_back(path);
        }
        for (const auto& f : files) {
            Input in;
            in.path = f;
            std::vector<Diagnostic> diags;
            in.fd = Fd(openInput(f, inputTimeoutMs(), diags));
            if (in.fd.v < 0) {
                fail(f, std::move(diags));
                continue;
            }
            planOne(in, false, reader, allowEmpty);
            inputs.push_back(std::move(in));
        }
    }
    return inputs;
}

}  // namespace detail

bool isJsonLinesPath(std::string_view path) {
    auto endsWith = [&](std::string_view suffix) {
        return path.size() >= suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return endsWith(".jsonl") || endsWith(".ndjson");
}

}  // namespace flopledger
