// A model record from key/value fields (what_if_record.hpp).
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/what_if_record.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace flopledger::inline v1 {
namespace {

using Json = nlohmann::ordered_json;

// Numbers stay strings, so the reader parses them exactly (suffixes such as "70B" included).
enum class Place { Record, Architecture, Stage, Hardware };
struct FieldInfo {
    const char* name;
    const char* json;
    Place place;
    bool number;
};

const FieldInfo kFields[] = {
    {"id", "id", Place::Record, false},
    {"name", "name", Place::Record, false},
    {"developer", "developer", Place::Record, false},
    {"released", "released", Place::Record, false},
    {"revenue", "developer_revenue_usd", Place::Record, true},
    {"params", "params", Place::Architecture, true},
    {"active-params", "active_params", Place::Architecture, true},
    {"layers", "layers", Place::Architecture, true},
    {"d-model", "d_model", Place::Architecture, true},
    {"heads", "heads", Place::Architecture, true},
    {"kv-heads", "kv_heads", Place::Architecture, true},
    {"ffn", "ffn", Place::Architecture, true},
    {"vocab", "vocab", Place::Architecture, true},
    {"mlp", "mlp", Place::Architecture, false},
    {"seq-len", "seq_len", Place::Stage, true},
    {"tokens", "tokens", Place::Stage, true},
    {"flop", "flop", Place::Stage, true},
    {"accelerator", "accelerator", Place::Hardware, false},
    {"count", "count", Place::Hardware, true},
    {"hours", "hours", Place::Hardware, true},
    {"days", "hours", Place::Hardware, true},
    {"chip-hours", "chip_hours", Place::Hardware, true},
    {"utilization", "utilization", Place::Hardware, true},
    {"precision", "precision", Place::Hardware, false},
};

const FieldInfo* info(const std::string& name) {
    for (const auto& f : kFields) {
        if (name == f.name) {
            return &f;
        }
    }
    return nullptr;
}

// A number a reader would take, as exact text; `scale` multiplies it (days -> hours), and a
// trailing '%' divides by 100.
std::string scaled(const std::string& field, std::string text, int multiply) {
    Exact divisor(1);
    if (!text.empty() && text.back() == '%') {
        text.pop_back();
        divisor = 100;
    }
    if (multiply == 1 && divisor == 1) {
        return text;
    }
    try {
        return formatExact(Exact(parseExact(text) * multiply / divisor));
    } catch (InputError& e) {
        e.diagnostic().message = "--" + field + " '" + text + "': " + e.diagnostic().message;
        throw;
    }
}

}  // namespace

const std::vector<std::string>& recordFieldNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& f : kFields) {
            out.emplace_back(f.name);
        }
        return out;
    }();
    return names;
}

std::string recordJsonFromFields(const std::vector<std::pair<std::string, std::string>>& fields) {
    Json rec = Json::object();
    Json arch = Json::object();
    Json stage = Json::object();
    Json hw = Json::object();
    rec["id"] = "what-if";
    rec["type"] = "model";
    std::map<std::string, bool> seen;
    for (const auto& [name, value] : fields) {
        const FieldInfo* f = info(name);
        if (f == nullptr) {
            std::vector<std::string_view> names(recordFieldNames().begin(),
                                                recordFieldNames().end());
            const std::string hint = didYouMean(name, names);
            throw InputError(ErrorCode::Usage,
                             "no record field '" + name + "'" +
                                 (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
        }
        if (seen[f->json]) {
            throw InputError(ErrorCode::Usage,
                             "--" + name + " given twice (or with --hours/--days)");
        }
        seen[f->json] = true;
        const int multiply = std::string(f->name) == "days" ? 24 : 1;
        const std::string v = f->number ? scaled(name, value, multiply) : value;
        Json& into = f->place == Place::Record         ? rec
                     : f->place == Place::Architecture ? arch
                     : f->place == Place::Stage        ? stage
                                                       : hw;
        into[f->json] = v;
    }
    if (!rec.contains("name")) {
        rec["name"] = rec["id"];
    }
    if (!arch.empty()) {
        // Without a shape the parameters are all the estimator needs (6ND).
        if (!arch.contains("layers")) {
            arch["family"] = "generic";
        }
        rec["architecture"] = arch;
    }
    stage["kind"] = "pretraining";
    if (!hw.empty()) {
        stage["hardware"] = hw;
    }
    rec["stages"] = Json::array({stage});
    try {
        return rec.dump();
    } catch (const nlohmann::json::type_error&) {
        // A flag value that is not UTF-8 (bytes from a script): an input error, not a crash.
        throw InputError(ErrorCode::Encoding, "a flag value is not UTF-8 text");
    }
}

ReadResult recordFromFields(const std::vector<std::pair<std::string, std::string>>& fields,
                            const RecordReader& reader) {
    ReadResult r = reader.readText(recordJsonFromFields(fields), "(flags)");
    for (const auto& rec : r.records) {
        for (auto& d : reader.validate(rec)) {
            r.diagnostics.push_back(std::move(d));
        }
    }
    return r;
}

}  // namespace flopledger
