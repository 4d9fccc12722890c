// The accelerator table: parsing hardware/*.json (format in hardware/README.md) with located
// diagnostics, and the embedded defaults.
#include <flopledger/hardware_catalog.hpp>

#include "io/embedded_data.hpp"

#include <flopledger/manifest.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flopledger::inline v1 {

namespace {

using Json = nlohmann::json;

std::string escapeToken(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> splitPointer(const std::string& pointer) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < pointer.size() && pointer[i] == '/') {
        std::size_t j = pointer.find('/', i + 1);
        std::string raw =
            pointer.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1);
        std::string tok;
        for (std::size_t k = 0; k < raw.size(); ++k) {
            if (raw[k] == '~' && k + 1 < raw.size()) {
                tok += raw[k + 1] == '1' ? '/' : '~';
                ++k;
            } else {
                tok += raw[k];
            }
        }
        out.push_back(std::move(tok));
        if (j == std::string::npos) break;
        i = j;
    }
    return out;
}

/// 1-based line of the value at `pointer` in JSON text (0 if not found). nlohmann keeps no
/// positions, so the text is re-scanned, only on the error path.
std::size_t lineOfPointer(std::string_view text, const std::string& pointer) {
    const std::vector<std::string> want = splitPointer(pointer);
    struct Frame {
        bool object;
        std::string key;
        std::size_t index = 0;
        bool expectKey = true;
    };
    std::vector<Frame> stack;
    std::size_t line = 1;
    auto matches = [&] {
        if (stack.size() != want.size()) return false;
        for (std::size_t i = 0; i < stack.size(); ++i) {
            const Frame& f = stack[i];
            if (f.object ? f.key != want[i] : std::to_string(f.index) != want[i]) return false;
        }
        return true;
    };
    auto readString = [&](std::size_t& i) {
        std::string s;
        for (++i; i < text.size() && text[i] != '"'; ++i) {
            if (text[i] == '\\' && i + 1 < text.size()) {
                ++i;
            }
            s += text[i];
        }
        return s;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == ':') continue;
        if (c == ',') {
            if (!stack.empty()) {
                if (stack.back().object) {
                    stack.back().expectKey = true;
                } else {
                    ++stack.back().index;
                }
            }
            continue;
        }
        if (c == '}' || c == ']') {
            if (!stack.empty()) stack.pop_back();
            continue;
        }
        if (c == '"' && !stack.empty() && stack.back().object && stack.back().expectKey) {
            stack.back().key = readString(i);
            stack.back().expectKey = false;
            continue;
        }
        if (matches()) return line;  // a value starts here
        if (c == '{' || c == '[') {
            stack.push_back({c == '{', {}, 0, true});
        } else if (c == '"') {
            readString(i);
        } else {
            while (i + 1 < text.size() &&
                   std::string_view(",}] \t\r\n").find(text[i + 1]) == std::string_view::npos) {
                ++i;
            }
        }
    }
    return 0;
}

class Parser {
public:
    Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
        Diagnostic d;
        d.severity = Severity::Error;
        d.code = ErrorCode::HardwareInvalid;
        d.file = file_;
        d.line = lineOfPointer(text_, pointer);
        d.pointer = pointer;
        d.message = message;
        throw InputError(std::move(d));
    }

    const Json& member(const Json& obj, const std::string& ptr, const char* key,
                       Json::value_t type) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(ptr, std::string("missing field '") + key + "'");
        if (it->type() != type)
            fail(ptr + "/" + key, std::string("'") + key + "' must be a " + typeName(type));
        return *it;
    }

    static const char* typeName(Json::value_t t) {
        switch (t) {
            case Json::value_t::object:
                return "JSON object";
            case Json::value_t::array:
                return "JSON array";
            default:
                return "string";
        }
    }

    void onlyFields(const Json& obj, const std::string& ptr,
                    const std::vector<std::string_view>& allowed) const {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
            std::string hint = didYouMean(it.key(), allowed);
            fail(ptr + "/" + escapeToken(it.key()),
                 "unknown field '" + it.key() + "'" +
                     (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
        }
    }

    Exact number(const Json& v, const std::string& ptr) const {
        if (!v.is_string()) {
            fail(ptr,
                 "write peak figures as decimal strings (e.g. \"989.4e12\") so they are read "
                 "exactly");
        }
        Exact x;
        try {
            x = parseExact(v.get<std::string>());
        } catch (const InputError& e) {
            fail(ptr, e.diagnostic().message);
        }
        if (x <= 0) fail(ptr, "peak figures must be positive");
        return x;
    }

    HardwareCatalog parse() const {
        Json root;
        try {
            root = Json::parse(text_.begin(), text_.end());
        } catch (const Json::parse_error& e) {
            Diagnostic d;
            d.code = ErrorCode::HardwareInvalid;
            d.file = file_;
            d.line =
                1 + static_cast<std::size_t>(std::count(
                        text_.begin(),
                        text_.begin() + static_cast<std::ptrdiff_t>(std::min(e.byte, text_.size())),
                        '\n'));
            d.message = "malformed JSON: " + std::string(e.what());
            throw InputError(std::move(d));
        } catch (const Json::exception& e) {
            // A number beyond double range ("1e999") is an out_of_range from the parser, with no
            // byte offset: locate the quoted token it names instead.
            Diagnostic d;
            d.code = ErrorCode::HardwareInvalid;
            d.file = file_;
            const std::string what = e.what();
            const auto open = what.find('\'');
            const auto close = open == std::string::npos ? open : what.find('\'', open + 1);
            if (close != std::string::npos) {
                const auto at = text_.find(what.substr(open + 1, close - open - 1));
                if (at != std::string_view::npos)
                    d.line = 1 + static_cast<std::size_t>(std::count(
                                     text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(at),
                                     '\n'));
            }
            d.message = "number out of range: " + what + "; write peak figures as decimal strings";
            throw InputError(std::move(d));
        }
        if (!root.is_object())
            fail("", "a hardware file is a JSON object with an \"accelerators\" array");
        onlyFields(root, "", {"format", "version", "accelerators", "notes"});
        if (auto f = root.find("format"); f != root.end() && *f != "flopledger-hardware") {
            fail("/format", "format must be \"flopledger-hardware\"");
        }
        if (auto v = root.find("version"); v != root.end() && *v != 1) {
            fail("/version", "unsupported version (this build reads version 1)");
        }
        const Json& list = member(root, "", "accelerators", Json::value_t::array);
        HardwareCatalog catalog;
        for (std::size_t i = 0; i < list.size(); ++i) {
            Accelerator a = accelerator(list[i], "/accelerators/" + std::to_string(i));
            if (catalog.find(a.id)) {
                fail("/accelerators/" + std::to_string(i) + "/id",
                     "duplicate accelerator id '" + a.id + "'");
            }
            catalog.add(std::move(a));
        }
        return catalog;
    }

private:
    Accelerator accelerator(const Json& obj, const std::string& ptr) const {
        if (!obj.is_object()) fail(ptr, "an accelerator is a JSON object");
        onlyFields(obj, ptr, {"id", "name", "vendor", "peaks", "notes"});
        Accelerator a;
        a.id = member(obj, ptr, "id", Json::value_t::string).get<std::string>();
        if (!validId(a.id)) {
            fail(ptr + "/id", "accelerator id '" + a.id +
                                  "' must be vendor-model[-variant]: lower-case letters, digits, "
                                  "'.', separated by '-'");
        }
        a.name = member(obj, ptr, "name", Json::value_t::string).get<std::string>();
        a.vendor = member(obj, ptr, "vendor", Json::value_t::string).get<std::string>();
        if (auto n = obj.find("notes"); n != obj.end()) {
            if (!n->is_string()) fail(ptr + "/notes", "'notes' must be a string");
            a.notes = n->get<std::string>();
        }
        const Json& peaks = member(obj, ptr, "peaks", Json::value_t::object);
        if (peaks.empty()) fail(ptr + "/peaks", "at least one precision is needed");
        for (auto it = peaks.begin(); it != peaks.end(); ++it) {
            const std::string pp = ptr + "/peaks/" + escapeToken(it.key());
            std::optional<Precision> prec = parsePrecision(it.key());
            if (!prec) {
                std::string hint = didYouMean(it.key(), precisionNames());
                fail(pp, "unknown precision '" + it.key() + "'" +
                             (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
            }
            a.peaks[static_cast<std::size_t>(*prec)] = peak(it.value(), pp);
        }
        return a;
    }

    PeakFigure peak(const Json& obj, const std::string& ptr) const {
        if (!obj.is_object())
            fail(ptr, "a peak is an object {\"dense\", \"sparse\"?, \"source\", \"verification\"}");
        onlyFields(obj, ptr, {"dense", "sparse", "source", "verification"});
        PeakFigure f;
        auto d = obj.find("dense");
        if (d == obj.end()) fail(ptr, "missing field 'dense'");
        f.dense = number(*d, ptr + "/dense");
        if (auto s = obj.find("sparse"); s != obj.end()) {
            f.sparse = number(*s, ptr + "/sparse");
            if (*f.sparse < f.dense) fail(ptr + "/sparse", "sparse peak is below the dense peak");
        }
        f.source = member(obj, ptr, "source", Json::value_t::string).get<std::string>();
        if (f.source.empty()) fail(ptr + "/source", "every figure needs its datasheet citation");
        f.verification = member(obj, ptr, "verification", Json::value_t::string).get<std::string>();
        if (f.verification != "verified" && f.verification != "secondary" &&
            f.verification != "unverified") {
            fail(ptr + "/verification",
                 "verification must be \"verified\", \"secondary\" or \"unverified\"");
        }
        return f;
    }

    static bool validId(const std::string& id) {
        // vendor-model[-variant]: lower-case alphanumerics (and '.') in at least two '-' parts.
        if (id.empty() || id.front() == '-' || id.back() == '-') return false;
        bool dash = false;
        for (std::size_t i = 0; i < id.size(); ++i) {
            const char c = id[i];
            if (c == '-') {
                if (id[i - 1] == '-') return false;
                dash = true;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')) {
                return false;
            }
        }
        return dash;
    }

    std::string_view text_;
    std::string file_;
};

void merge(HardwareCatalog& into, const HardwareCatalog& from, const std::string& file) {
    for (const Accelerator& a : from.all()) {
        if (into.find(a.id)) {
            Diagnostic d;
            d.code = ErrorCode::HardwareInvalid;
            d.file = file;
            d.message = "accelerator id '" + a.id + "' is defined in more than one hardware file";
            throw InputError(std::move(d));
        }
        into.add(a);
    }
}

}  // namespace

const PeakFigure* Accelerator::peak(Precision p) const {
    const auto& f = peaks[static_cast<std::size_t>(p)];
    return f ? &*f : nullptr;
}

const HardwareCatalog& HardwareCatalog::defaults() {
    // Built once; C++ guarantees thread-safe initialisation of function-local statics.
    static const HardwareCatalog catalog = [] {
        HardwareCatalog c;
        DataDigest digest;
        for (const auto& f : detail::embeddedFiles()) {
            if (f.group != "hardware") continue;
            merge(c, fromJson(f.text, "hardware/" + std::string(f.name)), std::string(f.name));
            digest.add(f.name, f.text);
        }
        c.setDataSource(digest.finish("embedded"));
        return c;
    }();
    return catalog;
}

HardwareCatalog HardwareCatalog::fromJson(std::string_view text, const std::string& fileName) {
    return Parser(text, fileName).parse();
}

HardwareCatalog HardwareCatalog::fromDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) {
        Diagnostic d;
        d.code = ErrorCode::Unreadable;
        d.file = dir;
        d.message = "cannot read hardware directory: " + ec.message();
        throw InputError(std::move(d));
    }
    std::sort(files.begin(), files.end());
    HardwareCatalog c;
    DataDigest digest;  // over the bytes parsed, for the audit manifest
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in.is_open()) {
            Diagnostic d;
            d.code = ErrorCode::Unreadable;
            d.file = path.string();
            d.message = "cannot read hardware file";
            throw InputError(std::move(d));
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        merge(c, fromJson(ss.str(), path.string()), path.string());
        digest.add(path.filename().string(), ss.str());
    }
    c.setDataSource(digest.finish(dir));
    return c;
}

const Accelerator* HardwareCatalog::find(std::string_view id) const {
    // Indexed (issue 18): a linear scan made loading 50,000 accelerators take 16 s.
    if (const auto it = index_.find(std::string(id)); it != index_.end())
        return &accelerators_[it->second];
    // Aliases as people write them: "h100", "H100 SXM", "tpu v4", "MI300X". Lower-cased, spaces
    // and underscores as dashes, then with the vendor prefix, then the usual form factor.
    std::string n;
    for (char c : id) {
        n += c == ' ' || c == '_' ? '-'
                                  : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (n.empty()) return nullptr;
    for (const char* prefix : {"", "nvidia-", "amd-", "google-", "intel-"}) {
        for (const char* suffix : {"", "-sxm", "-sxm2"}) {
            const auto it = index_.find(prefix + n + suffix);
            if (it != index_.end()) return &accelerators_[it->second];
        }
    }
    return nullptr;
}

std::vector<std::string_view> HardwareCatalog::ids() const {
    std::vector<std::string_view> out;
    out.reserve(accelerators_.size());
    for (const Accelerator& a : accelerators_) out.push_back(a.id);
    return out;
}

void HardwareCatalog::add(Accelerator a) {
    // A later definition replaces an earlier one (data-directory overrides).
    const auto [it, added] = index_.try_emplace(a.id, accelerators_.size());
    if (!added) {
        accelerators_[it->second] = std::move(a);
        return;
    }
    accelerators_.push_back(std::move(a));
}

}  // namespace flopledger
