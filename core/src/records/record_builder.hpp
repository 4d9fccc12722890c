#pragma once
// Private to the record reader: RecordBuilder converts one record's JSON into a Record, with
// located diagnostics. The per-field readers are here (inline: they run for every field); the
// per-object readers (model, cluster, architecture, stage, ...) are in record_builder.cpp.
#include <flopledger/record_reader.hpp>

#include "base/exact_detail.hpp"
#include "base/exact_fast.hpp"
#include "base/lazy_rational.hpp"
#include "io/json_sax.hpp"
#include "records/record_fields.hpp"

#include <boost/container/small_vector.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail::rec {

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

    // checkRule for num / den >= 0 in lowest terms: true when it passes (failures take the
    // general path, which writes the diagnostic).
    static bool rulePasses(detail::U128 num, detail::U128 den, const Rule& rule) {
        if (rule.integer && den != 1) return false;
        switch (rule.range) {
            case Rule::NonNegative:
                return true;
            case Rule::Positive:
                return num != 0;
            case Rule::Fraction:
                return num <= den;
            case Rule::Utilization:
                return num != 0 && num <= den;
        }
        return false;
    }

    // (a + b) / 2 in the estimator's exact type: 128-bit parts reduced once (big integers
    // only when a part does not fit), not cpp_rational's gcd after the sum and the division.
    static Exact midpoint(const Exact& a, const Exact& b) {
        detail::LazyRational sum(a);
        sum += detail::LazyRational(b);
        sum /= detail::LazyRational(2);
        return sum.toExact();
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
        // One index per call site (a Handler type is one lambda); built once, thread-safely.
        static const FieldIndex<N> index(names);
        for (auto i = obj.first; i != kNoNode; i = doc_.node(i).next) {
            const JsonNode& v = doc_.node(i);
            const std::string_view k = key(v);
            Field f(*this, k);
            try {
                const std::size_t pos =
                    detail::kFastPaths ? index.find(names, k) : fieldIndex(names, k);
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
    // readString without the string: the text in the document (valid while it is).
    std::string_view readText(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::String)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be a string, not " + std::string(kindName(n.kind)));
        return text(n);
    }
    // out = readString(n, name), into out's buffer (a reused record keeps its capacity).
    void readStringTo(const JsonNode& n, std::string_view name, std::string& out) {
        out.assign(readText(n, name));
    }
    bool readBool(const JsonNode& n, std::string_view name) {
        if (n.kind != JsonKind::Bool)
            fail(ErrorCode::WrongType, n,
                 quote(name) + " must be true or false, not " + std::string(kindName(n.kind)));
        return n.boolean;
    }

    // notWhole: parseWholeDecimal already said no for this node (readQuantity), not asked again.
    Exact readExact(const JsonNode& n, std::string_view name, bool notWhole = false) {
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
        detail::U128 whole = 0;
        if (!notWhole && detail::parseWholeDecimal(text(n), limits_.numbers, whole))
            return Exact(BigInt(whole));
        try {
            return parseExact(text(n), limits_.numbers);
        } catch (const InputError& e) {
            fail(e.diagnostic().code, n, quote(name) + ": " + e.diagnostic().message);
        }
    }

    // "38%" where the field is a fraction (utilization, shares): the number / 100, exactly
    // (docs/data-format.md; the what-if flags took it first). Elsewhere '%' is not a number.
    Exact readRuleExact(const JsonNode& n, std::string_view name, const Rule& rule,
                        bool notWhole = false) {
        if (n.kind == JsonKind::String &&
            (rule.range == Rule::Utilization || rule.range == Rule::Fraction)) {
            std::string_view t = text(n);
            if (!t.empty() && t.back() == '%') {
                t.remove_suffix(1);
                while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
                try {
                    return parseExact(t, limits_.numbers) / 100;
                } catch (const InputError& e) {
                    fail(e.diagnostic().code, n, quote(name) + ": " + e.diagnostic().message);
                }
            }
        }
        return readExact(n, name, notWhole);
    }

    // Sign and bound tests on the numerator and denominator (the denominator is positive):
    // boost::rational's comparisons with integers walk continued fractions.
    void checkRule(const Exact& v, const Rule& rule, const JsonNode& n, std::string_view name) {
        auto shown = [&] { return formatScientific(v, 6); };
        const auto& num = detail::numeratorOf(v);
        const auto& den = detail::denominatorOf(v);
        const int sign = num.sign();
        auto aboveOne = [&] { return num.compare(den) > 0; };
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

    // A plain numeric field (a JSON integer, number or numeric string) as 128-bit parts in
    // lowest terms, when it is >= 0, fits and passes `rule`: nearly every input. False sends the
    // field to readRuleExact and checkRule, which give the same value or the diagnostic.
    bool fastRuleValue(const JsonNode& n, const Rule& rule, detail::U128& num,
                       detail::U128& den) const {
        if constexpr (!detail::kFastPaths) return false;
        if (n.kind == JsonKind::Integer) {
            // readExact takes the magnitude as it is (no number limits apply).
            if (n.negative) return false;
            num = n.magnitude;
            den = 1;
        } else if (n.kind == JsonKind::Number || n.kind == JsonKind::String) {
            if (!detail::parseDecimalU128(text(n), limits_.numbers, num, den)) return false;
        } else {
            return false;
        }
        return rulePasses(num, den, rule);
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
            detail::U128 num = 0, den = 1;
            if (fastRuleValue(n, rule, num, den)) {
                // Most numeric fields: the three values set from 128 bits in place, no
                // rational parsed, checked or copied.
                Quantity& q = out.emplace();
                detail::setFractionU128(q.value.low, num, false, den);
                detail::setFractionU128(q.value.central, num, false, den);
                detail::setFractionU128(q.value.high, num, false, den);
                return;
            }
            Exact v = readRuleExact(n, name, rule);
            checkRule(v, rule, n, name);
            Quantity& q = out.emplace();  // the point set in place: two copies and a move
            q.value.low = v;
            q.value.central = v;
            q.value.high = std::move(v);
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
            std::optional<Exact>& slot = k == "low" ? low : k == "high" ? high : central;
            detail::U128 num = 0, den = 1;
            if (fastRuleValue(v, rule, num, den)) {
                detail::setFractionU128(slot.emplace(), num, false, den);
                return;
            }
            Exact x = readRuleExact(v, name, rule);
            checkRule(x, rule, v, name);
            slot = std::move(x);
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
        const std::string_view s = readText(n, name);
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == s) return static_cast<E>(i);
        fail(ErrorCode::BadEnum, n,
             "unknown " + std::string(name) + " " + quote(s) + " (allowed: " + allowedList(names) +
                 ")" + suggestion(s, names));
    }

    std::string readId(const JsonNode& n, std::string_view name) {
        std::string id;
        readIdTo(n, name, id);
        return id;
    }
    // out = readId(n, name), into out's buffer; out is unchanged when the id is rejected.
    void readIdTo(const JsonNode& n, std::string_view name, std::string& out) {
        const std::string_view id = readText(n, name);
        if (!validId(id))
            fail(ErrorCode::BadId, n,
                 "id " + quote(id) + " must match [a-z0-9][a-z0-9._/-]* (lower case, no spaces)");
        out.assign(id);
    }

    // "epoch:<id>": the lower-layer record this one replaces (registry_layers.hpp).
    std::string readSupersedes(const JsonNode& n, std::string_view name) {
        std::string v = readString(n, name);
        const std::string_view prefix = "epoch:";
        if (v.rfind(prefix, 0) != 0 || !validId(std::string_view(v).substr(prefix.size())))
            fail(ErrorCode::BadId, n,
                 quote(v) + " must be \"epoch:<id>\", the id of a record of the Epoch layer");
        return v;
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

    void readModel(const JsonNode& n, ModelRecord& m);
    void readCluster(const JsonNode& n, ClusterRecord& c);
    // "facts": {"ID": bool}, declared legal criteria (record_builder_facts.cpp)
    void readFacts(const JsonNode& v, std::vector<DeclaredFact>& out);
    void readArchitecture(const JsonNode& n, std::optional<Architecture>& out);
    void readMoe(const JsonNode& n, std::optional<MoeShape>& out);
    // v2 architecture fields (record_builder_features.cpp)
    void readArchitectureV2(FieldKey k, const JsonNode& v, Architecture& a);
    void readAttention(const JsonNode& n, std::optional<MlaShape>& out);
    void readWindowed(const JsonNode& n, std::string_view name,
                      const std::array<std::string_view, 2>& fields,
                      std::optional<LocalGlobal>& out);
    void readSsm(const JsonNode& n, std::optional<SsmShape>& out);
    void readVision(const JsonNode& n, std::optional<VisionTower>& out);
    void readStage(const JsonNode& n, std::vector<Stage>& stages);
    void readHardware(const JsonNode& n, std::optional<HardwareUse>& out);

    const JsonDocument& doc_;
    const ReadLimits& limits_;
    const std::string& file_;
    const recjson::LineIndex* lines_;
    std::size_t fixedLine_;
    std::vector<Diagnostic>* diags_ = nullptr;
    std::string ptr_;  // the record's pointer ("" in JSON Lines)
    // fields below it; records nest a few levels (no heap for the usual depth)
    boost::container::small_vector<Segment, 16> path_;
    std::size_t errors_ = 0;
    int samples_ = 0;
};

}  // namespace flopledger::inline v1::detail::rec
