// The direct reader of JSON Lines model records (record_direct.hpp). It accepts a subset of what
// parseJson + RecordBuilder accept and gives the same record for it: the fields of the usual
// record, plain ASCII strings, numbers that parseDecimalU128 reads and that pass their rule,
// intervals in order. Everything else returns false before anything is reported (the reference
// path then reads the line, with its diagnostics). The field rules are RecordBuilder's.
#include "records/record_direct.hpp"

#include "base/exact_fast.hpp"
#include "io/json_scan.hpp"
#include "records/blank_records.hpp"
#include "records/record_builder.hpp"
#include "records/record_fields.hpp"

#include <cstring>

namespace flopledger::inline v1::detail::rec {
namespace {

// Deepest nesting read here: record / stages / stage / hardware / interval.
constexpr std::size_t kDepthUsed = 6;

class DirectReader {
public:
    DirectReader(std::string_view s, const ReadLimits& limits) : s_(s), limits_(limits) {}

    bool model(ModelRecord& m);
    int samples() const { return samples_; }

private:
    // ---- tokens (JSON syntax; anything unusual is a "no") ----
    [[gnu::always_inline]] void ws() {
        // Compact JSON Lines have no whitespace between tokens: one test in the usual case.
        if (p_ < s_.size() && static_cast<unsigned char>(s_[p_]) > ' ') [[likely]]
            return;
        while (p_ < s_.size() &&
               (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t'))
            ++p_;
    }
    [[gnu::always_inline]] bool eat(char c) {
        ws();
        if (p_ < s_.size() && s_[p_] == c) {
            ++p_;
            return true;
        }
        return false;
    }
    [[gnu::always_inline]] char peek() {
        ws();
        return p_ < s_.size() ? s_[p_] : '\0';
    }
    bool atEnd() {
        ws();
        return p_ == s_.size();
    }
    // Position of the first byte at or after `p` that is '"', '\\', a control or non-ASCII
    // (the JSON parser's scan).
    [[gnu::always_inline]] std::size_t skipPlain(std::size_t p) const {
        return skipPlainJson(s_, p);
    }
    // A string of printable ASCII without escapes (the text is the value).
    [[gnu::always_inline]] bool str(std::string_view& out) {
        if (!eat('"')) return false;
        const std::size_t begin = p_;
        p_ = skipPlain(p_);
        if (p_ == s_.size() || s_[p_] != '"') return false;  // escapes, controls, UTF-8
        const std::size_t len = p_ - begin;
        ++p_;
        if (len > limits_.maxStringBytes) return false;
        out = std::string_view(s_.data() + begin, len);
        return true;
    }
    bool digits() {
        const std::size_t start = p_;
        while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') ++p_;
        return p_ > start;
    }
    // A JSON number's text (the grammar of the fast JSON parser).
    bool number(std::string_view& out) {
        ws();
        const std::size_t start = p_;
        if (p_ < s_.size() && s_[p_] == '-') ++p_;
        if (p_ >= s_.size()) return false;
        if (s_[p_] == '0')
            ++p_;
        else if (!digits())
            return false;
        if (p_ < s_.size() && s_[p_] == '.') {
            ++p_;
            if (!digits()) return false;
        }
        if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
            ++p_;
            if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
            if (!digits()) return false;
        }
        out = std::string_view(s_.data() + start, p_ - start);
        return true;
    }
    bool boolean(bool& out) {
        ws();
        if (s_.substr(p_, 4) == "true") {
            p_ += 4;
            out = true;
            return true;
        }
        if (s_.substr(p_, 5) == "false") {
            p_ += 5;
            out = false;
            return true;
        }
        return false;
    }
    // A JSON object: `member(key)` reads each member's value. Keys are matched against `names`;
    // unknown and repeated keys are a "no", as are keys `member` does not handle.
    template <std::size_t N, class F>
    bool object(const std::array<std::string_view, N>& names, const FieldIndex<N>& index,
                F&& member) {
        if (!eat('{')) return false;
        if (eat('}')) return true;
        std::uint64_t seen = 0;
        do {
            std::string_view key;
            if (!str(key) || !eat(':')) return false;
            const std::size_t pos = index.find(names, key);
            if (pos == N || (seen & (std::uint64_t(1) << pos))) return false;
            seen |= std::uint64_t(1) << pos;
            if (!member(pos)) return false;
        } while (eat(','));
        return eat('}');
    }
    template <class F>
    bool array(F&& element) {
        if (!eat('[')) return false;
        if (eat(']')) return true;
        std::size_t index = 0;
        do {
            if (!element(index++)) return false;
        } while (eat(','));
        return eat(']');
    }

    // ---- values (RecordBuilder's rules) ----
    // A whole number of up to 19 digits at `start` (first digit 1-9), read while it is
    // scanned: parseWholeDecimal's value and checks (length, decimal exponent) without a
    // second pass. `end` is the first byte after the digits; the caller checks what it is.
    bool wholeAt(std::size_t start, std::size_t& end, std::uint64_t& v) const {
        if (start >= s_.size() || s_[start] < '1' || s_[start] > '9') return false;
        v = 0;
        end = start;
        const std::size_t stop = std::min(s_.size(), start + 19);
        while (end < stop && s_[end] >= '0' && s_[end] <= '9')
            v = v * 10 + static_cast<std::uint64_t>(s_[end++] - '0');
        const auto length = static_cast<long>(end - start);
        return end < s_.size() && static_cast<std::size_t>(length) <= limits_.numbers.maxLength &&
               length - 1 >= limits_.numbers.minExponent &&
               length - 1 <= limits_.numbers.maxExponent;
    }

    // A plain numeric value >= 0 that fits 128 bits and passes `rule` (fastRuleValue).
    bool ruleValue(const Rule& rule, U128& num, U128& den) {
        std::string_view text;
        const char c = peek();
        std::size_t end = 0;
        std::uint64_t v = 0;
        if (c == '"') {
            // "1451": the string's text is a whole number.
            if (wholeAt(p_ + 1, end, v) && s_[end] == '"' &&
                end - p_ - 1 <= limits_.maxStringBytes) {
                p_ = end + 1;
                num = v;
                den = 1;
                return RecordBuilder::rulePasses(num, den, rule);
            }
        } else if (wholeAt(p_, end, v)) {
            // A JSON integer: the token ends before anything but digits, '.', 'e' or 'E'.
            const char next = s_[end];
            if (!((next >= '0' && next <= '9') || next == '.' || next == 'e' || next == 'E')) {
                p_ = end;
                num = v;
                den = 1;
                return RecordBuilder::rulePasses(num, den, rule);
            }
        }
        if (c == '"') {
            if (!str(text)) return false;
        } else if (!number(text)) {
            return false;
        }
        return parseDecimalU128(text, limits_.numbers, num, den) &&
               RecordBuilder::rulePasses(num, den, rule);
    }
    template <std::size_t N, class E>
    bool enumValue(const std::array<std::string_view, N>& names, E& out) {
        std::string_view s;
        if (!str(s)) return false;
        for (std::size_t i = 0; i < N; ++i) {
            if (names[i] == s) {
                out = static_cast<E>(i);
                return true;
            }
        }
        return false;
    }
    bool text(std::string& out) {
        std::string_view s;
        if (!str(s)) return false;
        out.assign(s);
        return true;
    }
    bool quantity(const Rule& rule, std::optional<Quantity>& out);
    bool quantity(const Rule& rule, Quantity& out) {
        std::optional<Quantity> q;
        if (!quantity(rule, q)) return false;
        out = std::move(*q);
        return true;
    }
    bool interval(const Rule& rule, std::optional<Quantity>& out);

    bool architecture(std::optional<Architecture>& out);
    bool moe(std::optional<MoeShape>& out);
    bool stage(std::vector<Stage>& stages, std::size_t index);
    bool hardware(std::optional<HardwareUse>& out);

    std::string_view s_;
    std::size_t p_ = 0;
    const ReadLimits& limits_;
    int samples_ = 0;
};

bool DirectReader::quantity(const Rule& rule, std::optional<Quantity>& out) {
    if (peek() == '{') return interval(rule, out);
    U128 num = 0, den = 1;
    if (!ruleValue(rule, num, den)) return false;
    Quantity& q = out.emplace();
    setFractionU128(q.value.low, num, false, den);
    setFractionU128(q.value.central, num, false, den);
    setFractionU128(q.value.high, num, false, den);
    return true;
}

// RecordBuilder::readQuantity's interval branch, its checks a "no" instead of a diagnostic.
bool DirectReader::interval(const Rule& rule, std::optional<Quantity>& out) {
    std::optional<Exact> low, high, central;
    Distribution dist = Distribution::LogUniform;
    static const FieldIndex<kIntervalFields.size()> index(kIntervalFields);
    const bool ok = object(kIntervalFields, index, [&](std::size_t pos) {
        if (pos == 3) return enumValue(kDistributionNames, dist);
        U128 num = 0, den = 1;
        if (!ruleValue(rule, num, den)) return false;
        std::optional<Exact>& slot = pos == 0 ? low : pos == 1 ? high : central;
        setFractionU128(slot.emplace(), num, false, den);
        return true;
    });
    if (!ok || !low || !high || compareExact(*low, *high) > 0) return false;
    if (!central)
        central = RecordBuilder::midpoint(*low, *high);
    else if (compareExact(*central, *low) < 0 || compareExact(*central, *high) > 0)
        return false;
    if (dist == Distribution::LogUniform && signOf(*low) == 0 && signOf(*high) != 0) return false;
    Quantity& q = out.emplace();
    q.value.low = std::move(*low);
    q.value.central = std::move(*central);
    q.value.high = std::move(*high);
    q.distribution = dist;
    if (!sameExact(q.value.low, q.value.high)) q.sampleIndex = samples_++;
    return true;
}

bool DirectReader::model(ModelRecord& m) {
    static const FieldIndex<kModelFields.size()> index(kModelFields);
    bool hasId = false;
    const bool ok = object(kModelFields, index, [&](std::size_t pos) {
        switch (pos) {
            case 1: {  // id
                std::string_view id;
                if (!str(id) || !validId(id)) return false;
                m.id.assign(id);
                return hasId = true;
            }
            case 2:
                return text(m.name);
            case 3:
                return text(m.developer);
            case 4: {  // released
                std::string_view s;
                if (!str(s)) return false;
                m.released = Date::parse(s);
                return m.released.has_value();
            }
            case 5:  // modalities
                return array([&](std::size_t) {
                    Modality x{};
                    if (!enumValue(kModalityNames, x)) return false;
                    m.modalities.push_back(x);
                    return true;
                });
            case 6:
                return quantity(kFraction, m.bioSequenceShare);
            case 7: {  // weights
                int w = 0;
                if (!enumValue(kWeightNames, w)) return false;
                m.openWeights = w == 0;
                return true;
            }
            case 8:
                return quantity(kAmount, m.developerRevenueUsd);
            case 10:
                return architecture(m.architecture);
            case 11:  // stages
                if (m.stages.capacity() == 0) m.stages.reserve(4);
                return array([&](std::size_t i) {
                    // Over the limit: the reference path refuses the record.
                    return i < limits_.maxStages && stage(m.stages, i);
                });
            default:  // type, parent, reported, sources, notes, layer, supersedes, facts
                return false;
        }
    });
    return ok && hasId && atEnd();
}

bool DirectReader::architecture(std::optional<Architecture>& out) {
    static const FieldIndex<kArchitectureFields.size()> index(kArchitectureFields);
    if (peek() != '{') return false;
    Architecture& a = out.emplace(blankArchitecture());
    return object(kArchitectureFields, index, [&](std::size_t pos) {
        switch (pos) {
            case 0:
                return enumValue(kFamilyNames, a.family);
            case 1:
                return quantity(kAmount, a.params);
            case 2:
                return quantity(kAmount, a.activeParams);
            case 3:
                return quantity(kPositiveCount, a.layers);
            case 4:
                return quantity(kCount, a.encoderLayers);
            case 5:
                return quantity(kCount, a.decoderLayers);
            case 6:
                return quantity(kPositiveCount, a.dModel);
            case 7:
                return quantity(kPositiveCount, a.heads);
            case 8:
                return quantity(kPositiveCount, a.kvHeads);
            case 9:
                return quantity(kPositiveCount, a.headDim);
            case 10:
                return quantity(kPositiveCount, a.ffn);
            case 11:
                return enumValue(kMlpNames, a.mlp);
            case 12:
                return quantity(kPositiveCount, a.vocab);
            case 13:
                return boolean(a.tiedEmbeddings);
            case 14:
                return moe(a.moe);
            case 15:
                return quantity(kPositiveCount, a.imageSize);
            case 16:
                return quantity(kPositiveCount, a.patchSize);
            case 17:
                return quantity(kPositiveCount, a.channels);
            case 18:
                return quantity(kCount, a.classes);
            case 19:
                return quantity(kAmount, a.forwardFlopPerExample);
            default:  // the v2 fields
                return false;
        }
    });
}

bool DirectReader::moe(std::optional<MoeShape>& out) {
    static const FieldIndex<kMoeFields.size()> index(kMoeFields);
    if (peek() != '{') return false;
    MoeShape& m = out.emplace();
    m.shared = Quantity(Exact(0));
    m.denseLayers = Quantity(Exact(0));
    bool hasExperts = false, hasActive = false;
    const bool ok = object(kMoeFields, index, [&](std::size_t pos) {
        switch (pos) {
            case 0:
                hasExperts = true;
                return quantity(kPositiveCount, m.experts);
            case 1:
                hasActive = true;
                return quantity(kPositiveCount, m.active);
            case 2:
                return quantity(kCount, m.shared);
            case 3:
                return quantity(kPositiveCount, m.expertFfn);
            default:
                return quantity(kCount, m.denseLayers);
        }
    });
    return ok && hasExperts && hasActive;
}

bool DirectReader::stage(std::vector<Stage>& stages, std::size_t i) {
    static const FieldIndex<kStageFields.size()> index(kStageFields);
    if (peek() != '{') return false;
    Stage& s = stages.emplace_back(blankStage());
    // RecordBuilder's pointer for the stage of a JSON Lines record ("" + /stages/i).
    if (i < 10) {
        s.pointer.assign("/stages/0");
        s.pointer.back() = static_cast<char>('0' + i);
    } else {
        s.pointer.assign("/stages");
        recjson::appendPointer(s.pointer, i);
    }
    bool hasKind = false;
    const bool ok = object(kStageFields, index, [&](std::size_t pos) {
        switch (pos) {
            case 0: {  // kind
                std::string_view name;
                if (!str(name)) return false;
                const auto kind = parseStageKind(name);
                if (!kind) return false;
                s.kind = *kind;
                return hasKind = true;
            }
            case 1:
                return text(s.label);
            case 2:
                return text(s.source);
            case 3:
                return quantity(kAmount, s.tokens);
            case 4:
                return quantity(kAmount, s.examples);
            case 5:
                return quantity(kPositiveCount, s.seqLen);
            case 6:
                return quantity(kPositiveCount, s.targetLen);
            case 7:
                return quantity(kAmount, s.flop);
            case 8:
                return hardware(s.hardware);
            case 9:
                return boolean(s.recompute);
            case 10: {
                bool b = false;
                if (!boolean(b)) return false;
                s.isPublic = b;
                return true;
            }
            case 11:
                return quantity(kAmount, s.params);
            case 12:
                return quantity(kAmount, s.activeParams);
            case 13:
                return quantity(kAmount, s.costUsd);
            case 14:
                return text(s.estimator);
            case 15:
                return text(s.confidence);
            case 16:
                return boolean(s.undisclosed);
            default:
                return quantity(kAmount, s.images);
        }
    });
    return ok && hasKind;
}

bool DirectReader::hardware(std::optional<HardwareUse>& out) {
    static const FieldIndex<kHardwareFields.size()> index(kHardwareFields);
    if (peek() != '{') return false;
    HardwareUse& h = out.emplace();
    bool hasAccelerator = false;
    const bool ok = object(kHardwareFields, index, [&](std::size_t pos) {
        switch (pos) {
            case 0:
                hasAccelerator = true;
                return text(h.accelerator);
            case 1:
                return quantity(kPositiveCount, h.count);
            case 2:
                return quantity(kAmount, h.hours);
            case 3:
                return quantity(kAmount, h.chipHours);
            case 4: {
                std::string_view p;
                if (!str(p)) return false;
                h.precision = parsePrecision(p);
                return h.precision.has_value();
            }
            case 5:
                return quantity(kUtilization, h.utilization);
            default:  // days (hours x 24)
                return false;
        }
    });
    return ok && hasAccelerator;
}

}  // namespace

bool readModelLineDirect(std::string_view line, const ReadLimits& limits, const std::string& file,
                         std::size_t lineNumber, ModelRecord& m) {
    if (limits.maxDepth < kDepthUsed) return false;
    DirectReader reader(line, limits);
    if (!reader.model(m)) return false;
    m.location.file = file;
    m.location.line = lineNumber;
    m.location.pointer.clear();
    m.uncertainCount = reader.samples();
    return true;
}

}  // namespace flopledger::inline v1::detail::rec
