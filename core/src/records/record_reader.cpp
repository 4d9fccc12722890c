// Reading registries (contract section 2): format detection, JSON -> records with exact numbers,
// located diagnostics, and the semantic checks of validate().
#include <flopledger/record_reader.hpp>

#include "base/exact_detail.hpp"
#include "base/fast_exact.hpp"
#include "io/json_sax.hpp"

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

namespace flopledger {
namespace recjson = detail::recjson;
namespace {

using recjson::JsonDocument;
using recjson::JsonKind;
using recjson::JsonNode;
using recjson::kNoNode;

// Field tables: the single source for parsing, "did you mean" and knownFields().
constexpr std::array<std::string_view, 16> kModelFields = {"type",
                                                           "id",
                                                           "name",
                                                           "developer",
                                                           "released",
                                                           "modalities",
                                                           "bio_sequence_share",
                                                           "weights",
                                                           "developer_revenue_usd",
                                                           "parent",
                                                           "architecture",
                                                           "stages",
                                                           "reported",
                                                           "sources",
                                                           "notes",
                                                           "facts"};
constexpr std::array<std::string_view, 10> kClusterFields = {"type",           "id",
                                                             "name",           "accelerator",
                                                             "count",          "peak_flop_per_s",
                                                             "network_gbit_s", "single_datacenter",
                                                             "sources",        "notes"};
constexpr std::array<std::string_view, 20> kArchitectureFields = {
    "family",         "params",          "active_params", "layers",
    "encoder_layers", "decoder_layers",  "d_model",       "heads",
    "kv_heads",       "head_dim",        "ffn",           "mlp",
    "vocab",          "tied_embeddings", "moe",           "image_size",
    "patch_size",     "channels",        "classes",       "forward_flop_per_example"};
constexpr std::array<std::string_view, 5> kMoeFields = {"experts", "active", "shared", "expert_ffn",
                                                        "dense_layers"};
constexpr std::array<std::string_view, 17> kStageFields = {
    "kind",          "label",    "source",    "tokens",     "examples",   "seq_len",
    "target_len",    "flop",     "hardware",  "recompute",  "public",     "params",
    "active_params", "cost_usd", "estimator", "confidence", "undisclosed"};
constexpr std::array<std::string_view, 6> kHardwareFields = {
    "accelerator", "count", "hours", "chip_hours", "precision", "utilization"};
constexpr std::array<std::string_view, 3> kParentFields = {"id", "training_flop", "systemic_risk"};
constexpr std::array<std::string_view, 3> kReportedFields = {"training_flop", "source", "note"};
constexpr std::array<std::string_view, 2> kSourceFields = {"what", "url"};
constexpr std::array<std::string_view, 4> kIntervalFields = {"low", "high", "central",
                                                             "distribution"};
constexpr std::array<std::string_view, 3> kRegistryFields = {"records", "$schema", "notes"};

constexpr std::array<std::string_view, 5> kFamilyNames = {"decoder", "encoder", "encoder-decoder",
                                                          "vit", "generic"};
constexpr std::array<std::string_view, 2> kMlpNames = {"plain", "gated"};
constexpr std::array<std::string_view, 8> kModalityNames = {"text",  "code",   "image",   "video",
                                                            "audio", "speech", "biology", "other"};
constexpr std::array<std::string_view, 3> kDistributionNames = {"uniform", "log-uniform",
                                                                "triangular"};
constexpr std::array<std::string_view, 2> kWeightNames = {"open", "closed"};
constexpr std::array<std::string_view, 2> kTypeNames = {"model", "cluster"};

template <std::size_t N>
std::vector<std::string_view> toVector(const std::array<std::string_view, N>& a) {
    return {a.begin(), a.end()};
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& a, std::string_view s) {
    return std::find(a.begin(), a.end(), s) != a.end();
}

std::string quote(std::string_view s) {
    constexpr std::size_t kShown = 60;
    std::string out = "'";
    out.append(s.substr(0, kShown));
    if (s.size() > kShown) out += "...";
    out += "'";
    return out;
}

template <std::size_t N>
std::string suggestion(std::string_view word, const std::array<std::string_view, N>& names) {
    const std::string best = didYouMean(word, toVector(names));
    return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

template <std::size_t N>
std::string allowedList(const std::array<std::string_view, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i) out += ", ";
        out += names[i];
    }
    return out;
}

std::string_view kindName(JsonKind k) {
    switch (k) {
        case JsonKind::Null:
            return "null";
        case JsonKind::Bool:
            return "a boolean";
        case JsonKind::Integer:
        case JsonKind::Number:
            return "a number";
        case JsonKind::String:
            return "a string";
        case JsonKind::Array:
            return "an array";
        case JsonKind::Object:
            return "an object";
    }
    return "a value";
}

bool validId(std::string_view id) {
    if (id.empty()) return false;
    auto ok = [](char c, bool first) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
        return !first && (c == '.' || c == '_' || c == '/' || c == '-');
    };
    for (std::size_t i = 0; i < id.size(); ++i)
        if (!ok(id[i], i == 0)) return false;
    return true;
}

// A member name as handlers see it: comparisons with string literals test the length first and
// then compare a constant number of bytes, which the compiler inlines (a handler tests its
// names one after another for every member).
struct FieldKey {
    std::string_view text;

    template <std::size_t M>
    bool operator==(const char (&literal)[M]) const {
        return text.size() == M - 1 && std::memcmp(text.data(), literal, M - 1) == 0;
    }
    operator std::string_view() const { return text; }  // NOLINT: implicit on purpose
};

// Index of `k` in a field table (N when absent).
template <std::size_t N>
std::size_t fieldIndex(const std::array<std::string_view, N>& names, std::string_view k) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i].size() == k.size() && std::memcmp(names[i].data(), k.data(), k.size()) == 0)
            return i;
    }
    return N;
}

// How a numeric field is constrained. Every field rejects negatives.
struct Rule {
    enum Range { NonNegative, Positive, Fraction, Utilization } range = NonNegative;
    bool integer = false;
};
constexpr Rule kAmount{Rule::NonNegative, false};
constexpr Rule kPositive{Rule::Positive, false};
constexpr Rule kCount{Rule::NonNegative, true};
constexpr Rule kPositiveCount{Rule::Positive, true};
constexpr Rule kFraction{Rule::Fraction, false};
constexpr Rule kUtilization{Rule::Utilization, false};

// Converts one record's JSON into a Record. Field errors are collected (the record is then
// dropped); the first one is what parseLine throws.
class RecordBuilder {
public:
    RecordBuilder(const JsonDocument& doc, const ReadLimits& limits, const std::string& file,
                  const recjson::LineIndex* lines, std::size_t fixedLine)
        : doc_(doc), limits_(limits), file_(file), lines_(lines), fixedLine_(fixedLine) {}

    std::size_t lineOf(const JsonNode& n) const {
        return lines_ ? lines_->lineOf(n.offset) : fixedLine_;
    }

    // Returns false when the record had errors (appended to `diags`). `out` is a default-
    // constructed Record (as at every call site): its empty ModelRecord is filled in place.
    bool build(const JsonNode& n, const std::string& pointer, Record& out,
               std::vector<Diagnostic>& diags) {
        diags_ = &diags;
        errors_ = 0;
        samples_ = 0;
        ptr_ = pointer;
        path_.clear();
        if (n.kind != JsonKind::Object) {
            record(ErrorCode::WrongType, n,
                   "a record must be a JSON object, not " + std::string(kindName(n.kind)));
            return false;
        }
        SourceLocation loc{file_, lineOf(n), pointer};
        bool cluster = false;
        if (const JsonNode* t = member(n, "type")) {
            Field f(*this, "type");
            if (t->kind != JsonKind::String) {
                record(ErrorCode::WrongType, *t, "'type' must be a string");
                return false;
            }
            const auto s = text(*t);
            if (!contains(kTypeNames, s)) {
                record(ErrorCode::BadEnum, *t,
                       "unknown record type " + quote(s) + " (allowed: model, cluster)" +
                           suggestion(s, kTypeNames));
                return false;
            }
            cluster = s == "cluster";
        }
        // Filled in place: a ModelRecord holds dozens of exact values, each costly to move.
        if (cluster) {
            ClusterRecord& c = out.emplace<ClusterRecord>();
            c.location = std::move(loc);
            readCluster(n, c);
            c.uncertainCount = samples_;
        } else {
            // Reuse the default ModelRecord instead of constructing another (6 KB zeroed).
            ModelRecord* existing = std::get_if<ModelRecord>(&out);
            ModelRecord& m = existing ? *existing : out.emplace<ModelRecord>();
            m.location = std::move(loc);
            readModel(n, m);
            m.uncertainCount = samples_;
        }
        return errors_ == 0;
    }

private:
    // One segment of the current JSON pointer: a member name or an array index. The pointer
    // text is only built when needed (a diagnostic, a stage's location), not per field.
    struct Segment {
        std::string_view key;
        std::size_t index = 0;
        bool isIndex = false;
    };

    // Pushes a path segment for the lifetime of the guard.
    class Field {
    public:
        Field(RecordBuilder& b, std::string_view key) : b_(b) {
            b.path_.push_back(Segment{key, 0, false});
        }
        Field(RecordBuilder& b, std::size_t index) : b_(b) {
            b.path_.push_back(Segment{{}, index, true});
        }
        ~Field() { b_.path_.pop_back(); }
        Field(const Field&) = delete;
        Field& operator=(const Field&) = delete;

    private:
        RecordBuilder& b_;
    };

    // The JSON pointer of the current field: the record's pointer plus the segments.
    std::string currentPointer() const {
        std::string p = ptr_;
        for (const Segment& s : path_) {
            if (s.isIndex)
                recjson::appendPointer(p, s.index);
            else
                recjson::appendPointer(p, s.key);
        }
        return p;
    }

    struct Abort {};  // unwinds one field after its diagnostic was recorded

    std::string_view text(const JsonNode& n) const { return doc_.text(n); }
    std::string_view key(const JsonNode& n) const { return doc_.key(n); }

    const JsonNode* member(const JsonNode& obj, std::string_view name) const {
        for (auto i = obj.first; i != kNoNode; i = doc_.node(i).next)
            if (key(doc_.node(i)) == name) return &doc_.node(i);
        return nullptr;
    }

    void record(ErrorCode code, const JsonNode& at, std::string message) {
        ++errors_;
        diags_->push_back(Diagnostic{Severity::Error, code, file_, lineOf(at), currentPointer(),
                                     std::move(message)});
    }
    [[noreturn]] void fail(ErrorCode code, const JsonNode& at, std::string message) {
        record(code, at, std::move(message));
        throw Abort{};
    }

    // Iterates an object's members; each handler runs in its own pointer scope and an error in
    // one field does not stop the others. Unknown and repeated names are reported here.
    template <std::size_t N, typename Handler>
    void forEachMember(const JsonNode& obj, const std::array<std::string_view, N>& names,
                       const char* what, Handler&& handle) {
        std::uint64_t seen = 0;
        static_assert(N <= 64, "field table too large for the seen-mask");
        for (auto i = obj.first; i != kNoNode; i = doc_.node(i).next) {
            const JsonNode& v = doc_.node(i);
            const std::string_view k = key(v);
            Field f(*this, k);
            try {
                const std::size_t pos = fieldIndex(names, k);
                if (pos == N) {
                    fail(ErrorCode::UnknownField, v,
                         "unknown field " + quote(k) + " in " + what + suggestion(k, names));
                }
                if (seen & (std::uint64_t(1) << pos))
                    fail(ErrorCode::JsonSyntax, v, "field " + quote(k) + " appears twice");
                seen |= std::uint64_t(1) << pos;
                handle(FieldKey{k}, v);
            } catch (const Abort&) {
            }
        }
    }

    void expectObject(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::Object)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be an object, not " + std::string(kindName(n.kind)));
    }
    void expectArray(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::Array)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be an array, not " + std::string(kindName(n.kind)));
    }

    std::string readString(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::String)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be a string, not " + std::string(kindName(n.kind)));
        return std::string(text(n));
    }
    bool readBool(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::Bool)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be true or false, not " + std::string(kindName(n.kind)));
        return n.boolean;
    }

    Exact readExact(const JsonNode& n, std::string_view name) {
        if (n.kind == JsonKind::Integer) {
            Exact v{BigInt(n.magnitude)};
            return n.negative ? Exact(-v) : v;
        }
        if (n.kind != JsonKind::Number && n.kind != JsonKind::String)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be a number, a numeric string or {\"low\", \"high\"}, not " +
                     std::string(kindName(n.kind)));
        // Whole numbers below 2^128 (nearly every input): straight from 128 bits, no rational
        // arithmetic.
        detail::Uint128 whole = 0;
        if (detail::parseWholeDecimal(text(n), limits_.numbers, whole)) return Exact(BigInt(whole));
        try {
            return parseExact(text(n), limits_.numbers);
        } catch (const InputError& e) {
            fail(e.diagnostic().code, n, quote(name) + ": " + e.diagnostic().message);
        }
    }

    // Sign and bound tests on the numerator and denominator (the denominator is positive):
    // boost::rational's comparisons with integers walk continued fractions.
    void checkRule(const Exact& v, const Rule& rule, const JsonNode& n, std::string_view name) {
        auto shown = [&] { return formatScientific(v, 6); };
        const auto& r = v.backend().data();
        const int sign = r.numerator().sign();
        auto aboveOne = [&] { return r.numerator().compare(r.denominator()) > 0; };
        if (sign < 0)
            fail(ErrorCode::NumberNegative, n,
                 quote(name) + " must not be negative (got " + shown() + ")");
        if (rule.range == Rule::Positive && sign == 0)
            fail(ErrorCode::NumberZero, n, quote(name) + " must be greater than zero");
        if (rule.range == Rule::Utilization && (sign == 0 || aboveOne()))
            fail(ErrorCode::NumberOutOfRange, n,
                 quote(name) + " must be in (0, 1], a fraction of peak (got " + shown() + ")");
        if (rule.range == Rule::Fraction && aboveOne())
            fail(ErrorCode::NumberOutOfRange, n,
                 quote(name) + " must be a fraction in [0, 1] (got " + shown() + ")");
        if (rule.integer && !detail::isWhole(v))
            fail(ErrorCode::NumberNotInteger, n,
                 quote(name) + " must be a whole number (got " + shown() + ")");
    }

    // checkRule for a whole number >= 0: true when it passes (failures take the general path,
    // which writes the diagnostic).
    static bool wholePasses(detail::Uint128 v, const Rule& rule) {
        switch (rule.range) {
            case Rule::NonNegative:
                return true;
            case Rule::Positive:
                return v != 0;
            case Rule::Fraction:
                return v <= 1;
            case Rule::Utilization:
                return v == 1;
        }
        return false;
    }

    // (a + b) / 2; for whole numbers with an even sum without the gcd of a rational division.
    static Exact midpoint(const Exact& a, const Exact& b) {
        if (detail::isWhole(a) && detail::isWhole(b)) {
            BigInt sum = a.backend().data().numerator() + b.backend().data().numerator();
            if (sum >= 0) {
                Exact mid;
                if (boost::multiprecision::bit_test(sum, 0)) {
                    detail::setNormalised(mid, sum, BigInt(2));  // odd / 2: lowest terms
                } else {
                    sum >>= 1;
                    detail::setNormalised(mid, sum, BigInt(1));
                }
                return mid;
            }
        }
        return detail::addExact(a, b) / 2;
    }

    // Non-optional fields (MoE shape).
    void readQuantity(const JsonNode& n, std::string_view name, const Rule& rule, Quantity& out) {
        std::optional<Quantity> q;
        readQuantity(n, name, rule, q);
        out = std::move(*q);
    }

    // Constructs the quantity in `out` (no moves of its three exact values); `out` is left
    // untouched when the field has an error.
    void readQuantity(const JsonNode& n, std::string_view name, const Rule& rule,
                      std::optional<Quantity>& out) {
        if (n.kind != JsonKind::Object) {
            detail::Uint128 whole = 0;
            if ((n.kind == JsonKind::Number || n.kind == JsonKind::String) &&
                detail::parseWholeDecimal(text(n), limits_.numbers, whole) &&
                wholePasses(whole, rule)) {
                // Most numeric fields: three whole numbers set from 128 bits in place, no
                // rational parsed, checked or copied.
                Quantity& q = out.emplace();
                detail::setWhole(q.value.low, whole);
                detail::setWhole(q.value.central, whole);
                detail::setWhole(q.value.high, whole);
                return;
            }
            Exact v = readExact(n, name);
            checkRule(v, rule, n, name);
            out.emplace(v);
            return;
        }
        std::optional<Exact> low, high, central;
        Distribution dist = Distribution::LogUniform;
        const std::size_t before = errors_;
        forEachMember(n, kIntervalFields, "an uncertain value", [&](FieldKey k, const JsonNode& v) {
            if (k == "distribution") {
                const std::string s = readString(v, k);
                const auto pos = static_cast<std::size_t>(
                    std::find(kDistributionNames.begin(), kDistributionNames.end(), s) -
                    kDistributionNames.begin());
                if (pos == kDistributionNames.size())
                    fail(ErrorCode::BadDistribution, v,
                         "unknown distribution " + quote(s) +
                             " (allowed: " + allowedList(kDistributionNames) + ")" +
                             suggestion(s, kDistributionNames));
                dist = static_cast<Distribution>(pos);
                return;
            }
            Exact x = readExact(v, name);
            checkRule(x, rule, v, name);
            (k == "low" ? low : k == "high" ? high : central) = std::move(x);
        });
        if (errors_ != before) throw Abort{};
        if (!low || !high)
            fail(ErrorCode::MissingField, n,
                 quote(name) + " as an interval needs both \"low\" and \"high\"");
        using detail::compareExact;
        if (compareExact(*low, *high) > 0)
            fail(ErrorCode::IntervalOrder, n,
                 quote(name) + ": low " + formatScientific(*low, 6) + " is above high " +
                     formatScientific(*high, 6));
        if (!central) central = midpoint(*low, *high);
        if (compareExact(*central, *low) < 0 || compareExact(*central, *high) > 0)
            fail(ErrorCode::IntervalOrder, n,
                 quote(name) + ": central " + formatScientific(*central, 6) +
                     " lies outside [low, high]");
        if (dist == Distribution::LogUniform && detail::signOf(*low) == 0 &&
            detail::signOf(*high) != 0)
            fail(ErrorCode::NumberZero, n,
                 quote(name) + ": a log-uniform interval needs low > 0 (use \"uniform\")");
        Quantity& q = out.emplace();
        q.value.low = std::move(*low);
        q.value.central = std::move(*central);
        q.value.high = std::move(*high);
        q.distribution = dist;
        // q.uncertain(), without boost's three-way comparison of rationals.
        if (!detail::sameExact(q.value.low, q.value.high)) q.sampleIndex = samples_++;
    }

    template <std::size_t N, typename E>
    E readEnum(const JsonNode& n, std::string_view name,
               const std::array<std::string_view, N>& names) {
        const std::string s = readString(n, name);
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == s) return static_cast<E>(i);
        fail(ErrorCode::BadEnum, n,
             "unknown " + std::string(name) + " " + quote(s) + " (allowed: " + allowedList(names) +
                 ")" + suggestion(s, names));
    }

    std::string readId(const JsonNode& n, std::string_view name) {
        std::string id = readString(n, name);
        if (!validId(id))
            fail(ErrorCode::BadId, n,
                 "id " + quote(id) + " must match [a-z0-9][a-z0-9._/-]* (lower case, no spaces)");
        return id;
    }

    std::vector<Citation> readSources(const JsonNode& n) {
        expectArray(n, "sources");
        std::vector<Citation> out;
        std::size_t index = 0;
        for (auto i = n.first; i != kNoNode; i = doc_.node(i).next, ++index) {
            const JsonNode& s = doc_.node(i);
            Field f(*this, index);
            try {
                expectObject(s, "sources[]");
                Citation c;
                forEachMember(s, kSourceFields, "a source", [&](FieldKey k, const JsonNode& v) {
                    (k == "what" ? c.what : c.url) = readString(v, k);
                });
                out.push_back(std::move(c));
            } catch (const Abort&) {
            }
        }
        return out;
    }

    void readModel(const JsonNode& n, ModelRecord& m) {
        bool hasId = false;
        forEachMember(n, kModelFields, "a model record", [&](FieldKey k, const JsonNode& v) {
            if (k == "type") return;
            if (k == "id") {
                hasId = true;
                m.id = readId(v, k);
            } else if (k == "name") {
                m.name = readString(v, k);
            } else if (k == "developer") {
                m.developer = readString(v, k);
            } else if (k == "released") {
                const std::string s = readString(v, k);
                m.released = Date::parse(s);
                if (!m.released)
                    fail(ErrorCode::BadDate, v,
                         "'released' " + quote(s) +
                             " is not a date (YYYY, YYYY-MM or YYYY-MM-DD) or no such day");
            } else if (k == "modalities") {
                expectArray(v, k);
                m.modalities.reserve(std::min<std::size_t>(v.size, 64));
                std::size_t index = 0;
                for (auto i = v.first; i != kNoNode; i = doc_.node(i).next, ++index) {
                    Field f(*this, index);
                    try {
                        m.modalities.push_back(
                            readEnum<8, Modality>(doc_.node(i), "modality", kModalityNames));
                    } catch (const Abort&) {
                    }
                }
            } else if (k == "bio_sequence_share") {
                readQuantity(v, k, kFraction, m.bioSequenceShare);
            } else if (k == "weights") {
                m.openWeights = readEnum<2, int>(v, "weights", kWeightNames) == 0;
            } else if (k == "developer_revenue_usd") {
                readQuantity(v, k, kAmount, m.developerRevenueUsd);
            } else if (k == "parent") {
                expectObject(v, k);
                ParentRef p;
                forEachMember(v, kParentFields, "'parent'", [&](FieldKey pk, const JsonNode& pv) {
                    if (pk == "id")
                        p.id = readId(pv, pk);
                    else if (pk == "training_flop")
                        readQuantity(pv, pk, kAmount, p.trainingFlop);
                    else
                        p.systemicRisk = readBool(pv, pk);
                });
                m.parent = std::move(p);
            } else if (k == "architecture") {
                readArchitecture(v, m.architecture);
            } else if (k == "stages") {
                expectArray(v, k);
                // Stage is large: no regrowth moves (capped: hostile arrays of non-objects)
                m.stages.reserve(std::min<std::size_t>(v.size, 64));
                std::size_t index = 0;
                for (auto i = v.first; i != kNoNode; i = doc_.node(i).next, ++index) {
                    Field f(*this, index);
                    try {
                        readStage(doc_.node(i), m.stages);
                    } catch (const Abort&) {
                    }
                }
            } else if (k == "reported") {
                expectObject(v, k);
                Reported r;
                forEachMember(v, kReportedFields, "'reported'",
                              [&](FieldKey rk, const JsonNode& rv) {
                                  if (rk == "training_flop")
                                      readQuantity(rv, rk, kAmount, r.trainingFlop);
                                  else
                                      (rk == "source" ? r.source : r.note) = readString(rv, rk);
                              });
                m.reported = std::move(r);
            } else if (k == "sources") {
                m.sources = readSources(v);
            } else if (k == "notes") {
                m.notes = readString(v, k);
            } else if (k == "facts") {
                readFacts(v, m.facts);
            }
        });
        if (!hasId) record(ErrorCode::MissingField, n, "the record has no \"id\"");
    }

    // "facts": {"ID": true|false}: declared qualitative legal criteria (contract 7.5).
    void readFacts(const JsonNode& v, std::vector<DeclaredFact>& out) {
        expectObject(v, "facts");
        for (auto i = v.first; i != kNoNode; i = doc_.node(i).next) {
            const JsonNode& f = doc_.node(i);
            const std::string_view id = key(f);
            Field field(*this, id);
            try {
                DeclaredFact d;
                d.id = std::string(id);
                if (!validId(d.id))
                    fail(ErrorCode::BadId, f,
                         "fact id " + quote(id) + " must match [a-z0-9][a-z0-9._/-]* (lower case)");
                d.value = readBool(f, id);
                for (const DeclaredFact& e : out)
                    if (e.id == d.id)
                        fail(ErrorCode::JsonSyntax, f, "fact " + quote(id) + " appears twice");
                out.push_back(std::move(d));
            } catch (const Abort&) {
            }
        }
    }

    void readCluster(const JsonNode& n, ClusterRecord& c) {
        bool hasId = false;
        forEachMember(n, kClusterFields, "a cluster record", [&](FieldKey k, const JsonNode& v) {
            if (k == "type") return;
            if (k == "id") {
                hasId = true;
                c.id = readId(v, k);
            } else if (k == "name") {
                c.name = readString(v, k);
            } else if (k == "accelerator") {
                c.accelerator = readString(v, k);
            } else if (k == "count") {
                readQuantity(v, k, kPositiveCount, c.count);
            } else if (k == "peak_flop_per_s") {
                readQuantity(v, k, kPositive, c.peakFlopPerS);
            } else if (k == "network_gbit_s") {
                readQuantity(v, k, kAmount, c.networkGbitS);
            } else if (k == "single_datacenter") {
                c.singleDatacenter = readBool(v, k);
            } else if (k == "sources") {
                c.sources = readSources(v);
            } else if (k == "notes") {
                c.notes = readString(v, k);
            }
        });
        if (!hasId) record(ErrorCode::MissingField, n, "the record has no \"id\"");
    }

    void readArchitecture(const JsonNode& n, std::optional<Architecture>& out) {
        expectObject(n, "architecture");
        Architecture& a = out.emplace();
        forEachMember(n, kArchitectureFields, "'architecture'", [&](FieldKey k, const JsonNode& v) {
            if (k == "family")
                a.family = readEnum<5, Family>(v, "family", kFamilyNames);
            else if (k == "params")
                readQuantity(v, k, kAmount, a.params);
            else if (k == "active_params")
                readQuantity(v, k, kAmount, a.activeParams);
            else if (k == "layers")
                readQuantity(v, k, kPositiveCount, a.layers);
            else if (k == "encoder_layers")
                readQuantity(v, k, kCount, a.encoderLayers);
            else if (k == "decoder_layers")
                readQuantity(v, k, kCount, a.decoderLayers);
            else if (k == "d_model")
                readQuantity(v, k, kPositiveCount, a.dModel);
            else if (k == "heads")
                readQuantity(v, k, kPositiveCount, a.heads);
            else if (k == "kv_heads")
                readQuantity(v, k, kPositiveCount, a.kvHeads);
            else if (k == "head_dim")
                readQuantity(v, k, kPositiveCount, a.headDim);
            else if (k == "ffn")
                readQuantity(v, k, kPositiveCount, a.ffn);
            else if (k == "mlp")
                a.mlp = readEnum<2, MlpKind>(v, "mlp", kMlpNames);
            else if (k == "vocab")
                readQuantity(v, k, kPositiveCount, a.vocab);
            else if (k == "tied_embeddings")
                a.tiedEmbeddings = readBool(v, k);
            else if (k == "moe")
                readMoe(v, a.moe);
            else if (k == "image_size")
                readQuantity(v, k, kPositiveCount, a.imageSize);
            else if (k == "patch_size")
                readQuantity(v, k, kPositiveCount, a.patchSize);
            else if (k == "channels")
                readQuantity(v, k, kPositiveCount, a.channels);
            else if (k == "classes")
                readQuantity(v, k, kCount, a.classes);
            else
                readQuantity(v, k, kAmount, a.forwardFlopPerExample);
        });
    }

    void readMoe(const JsonNode& n, std::optional<MoeShape>& out) {
        expectObject(n, "moe");
        MoeShape& m = out.emplace();
        m.shared = Quantity(Exact(0));
        m.denseLayers = Quantity(Exact(0));
        bool hasExperts = false, hasActive = false;
        forEachMember(n, kMoeFields, "'moe'", [&](FieldKey k, const JsonNode& v) {
            if (k == "experts") {
                hasExperts = true;
                readQuantity(v, k, kPositiveCount, m.experts);
            } else if (k == "active") {
                hasActive = true;
                readQuantity(v, k, kPositiveCount, m.active);
            } else if (k == "shared") {
                readQuantity(v, k, kCount, m.shared);
            } else if (k == "expert_ffn") {
                readQuantity(v, k, kPositiveCount, m.expertFfn);
            } else {
                readQuantity(v, k, kCount, m.denseLayers);
            }
        });
        if (!hasExperts) record(ErrorCode::MissingField, n, "'moe' needs \"experts\"");
        if (!hasActive) record(ErrorCode::MissingField, n, "'moe' needs \"active\" (top-k)");
    }

    void readStage(const JsonNode& n, std::vector<Stage>& stages) {
        expectObject(n, "stages[]");
        Stage& s = stages.emplace_back();
        s.pointer = currentPointer();
        bool hasKind = false;
        forEachMember(n, kStageFields, "a stage", [&](FieldKey k, const JsonNode& v) {
            if (k == "kind") {
                hasKind = true;
                const std::string name = readString(v, k);
                const auto kind = parseStageKind(name);
                if (!kind) {
                    const auto names = stageKindNames();
                    const std::string best = didYouMean(name, names);
                    fail(ErrorCode::BadEnum, v,
                         "unknown stage kind " + quote(name) +
                             (best.empty() ? " (see docs/data-format.md for the kinds)"
                                           : "; did you mean '" + best + "'?"));
                }
                s.kind = *kind;
            } else if (k == "label") {
                s.label = readString(v, k);
            } else if (k == "source") {
                s.source = readString(v, k);
            } else if (k == "tokens") {
                readQuantity(v, k, kAmount, s.tokens);
            } else if (k == "examples") {
                readQuantity(v, k, kAmount, s.examples);
            } else if (k == "seq_len") {
                readQuantity(v, k, kPositiveCount, s.seqLen);
            } else if (k == "target_len") {
                readQuantity(v, k, kPositiveCount, s.targetLen);
            } else if (k == "flop") {
                readQuantity(v, k, kAmount, s.flop);
            } else if (k == "hardware") {
                readHardware(v, s.hardware);
            } else if (k == "recompute") {
                s.recompute = readBool(v, k);
            } else if (k == "public") {
                s.isPublic = readBool(v, k);
            } else if (k == "params") {
                readQuantity(v, k, kAmount, s.params);
            } else if (k == "active_params") {
                readQuantity(v, k, kAmount, s.activeParams);
            } else if (k == "cost_usd") {
                readQuantity(v, k, kAmount, s.costUsd);
            } else if (k == "estimator") {
                s.estimator = readString(v, k);
            } else if (k == "undisclosed") {
                s.undisclosed = readBool(v, k);
            } else {
                s.confidence = readString(v, k);
            }
        });
        if (!hasKind)
            record(ErrorCode::MissingField, n,
                   "the stage has no \"kind\" (e.g. \"pretraining\", \"fine-tuning\")");
    }

    void readHardware(const JsonNode& n, std::optional<HardwareUse>& out) {
        expectObject(n, "hardware");
        HardwareUse& h = out.emplace();
        bool hasAccelerator = false;
        forEachMember(n, kHardwareFields, "'hardware'", [&](FieldKey k, const JsonNode& v) {
            if (k == "accelerator") {
                hasAccelerator = true;
                h.accelerator = readString(v, k);
            } else if (k == "count") {
                readQuantity(v, k, kPositiveCount, h.count);
            } else if (k == "hours") {
                readQuantity(v, k, kAmount, h.hours);
            } else if (k == "chip_hours") {
                readQuantity(v, k, kAmount, h.chipHours);
            } else if (k == "precision") {
                const std::string p = readString(v, k);
                h.precision = parsePrecision(p);
                if (!h.precision) {
                    const std::string best = didYouMean(p, precisionNames());
                    fail(ErrorCode::BadEnum, v,
                         "unknown precision " + quote(p) +
                             " (allowed: fp32, tf32, bf16, fp16, fp8, int8)" +
                             (best.empty() ? "" : "; did you mean '" + best + "'?"));
                }
            } else {
                readQuantity(v, k, kUtilization, h.utilization);
            }
        });
        if (!hasAccelerator)
            record(ErrorCode::MissingField, n, "'hardware' needs \"accelerator\" (an id)");
    }

    const JsonDocument& doc_;
    const ReadLimits& limits_;
    const std::string& file_;
    const recjson::LineIndex* lines_;
    std::size_t fixedLine_;
    std::vector<Diagnostic>* diags_ = nullptr;
    std::string ptr_;            // the record's pointer ("" in JSON Lines)
    std::vector<Segment> path_;  // fields below it
    std::size_t errors_ = 0;
    int samples_ = 0;
};

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

bool readFile(const std::string& path, std::string& out, std::size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) return false;
    in.seekg(0);
    // Read one byte past the limit so that the size check in checkText() fires.
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(size), maxBytes + 1);
    out.resize(n);
    in.read(out.data(), static_cast<std::streamsize>(n));
    out.resize(static_cast<std::size_t>(in.gcount()));
    return true;
}

}  // namespace

bool ReadResult::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

RecordReader::RecordReader(ReadLimits limits, const HardwareCatalog* hardware)
    : limits_(limits), hardware_(hardware) {}

Record RecordReader::parseLine(std::string_view line, const std::string& fileName,
                               std::size_t lineNumber) const {
    std::vector<Diagnostic> diags;
    if (line.size() > limits_.maxLineBytes) {
        throw InputError(makeError(ErrorCode::InputTooLarge, fileName, lineNumber,
                                   "line of " + std::to_string(line.size()) +
                                       " bytes is longer than the limit of " +
                                       std::to_string(limits_.maxLineBytes)));
    }
    thread_local JsonDocument doc;  // reused: streaming parses millions of lines
    recjson::JsonParseError err;
    if (!recjson::parseJson(line, jsonLimits(limits_), doc, err))
        throw InputError(makeError(err.code, fileName, lineNumber, err.message, err.pointer));
    RecordBuilder builder(doc, limits_, fileName, nullptr, lineNumber);
    Record r;
    if (!builder.build(doc.root(), "", r, diags)) throw InputError(diags.front());
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
                        Record r;
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
            Record r;
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
        Record r;
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
        std::vector<std::string> files;
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            const auto ext = entry.path().extension().string();
            if (entry.is_regular_file(ec) && (ext == ".json" || ext == ".jsonl"))
                files.push_back(entry.path().string());
        }
        std::sort(files.begin(), files.end());
        ReadResult all;
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
    if (!readFile(path, text, limits_.maxInputBytes)) {
        ReadResult r;
        r.diagnostics.push_back(
            makeError(ErrorCode::FileNotFound, path, 0, "cannot open '" + path + "' for reading"));
        return r;
    }
    return readText(text, path);
}

std::vector<std::string_view> knownObjectKinds() {
    return {"model",  "cluster",  "architecture", "moe",      "stage",   "hardware",
            "parent", "reported", "source",       "interval", "registry"};
}

std::vector<std::string_view> knownFields(std::string_view kind) {
    if (kind == "model") return toVector(kModelFields);
    if (kind == "cluster") return toVector(kClusterFields);
    if (kind == "architecture") return toVector(kArchitectureFields);
    if (kind == "moe") return toVector(kMoeFields);
    if (kind == "stage") return toVector(kStageFields);
    if (kind == "hardware") return toVector(kHardwareFields);
    if (kind == "parent") return toVector(kParentFields);
    if (kind == "reported") return toVector(kReportedFields);
    if (kind == "source") return toVector(kSourceFields);
    if (kind == "interval") return toVector(kIntervalFields);
    if (kind == "registry") return toVector(kRegistryFields);
    return {};
}

}  // namespace flopledger
