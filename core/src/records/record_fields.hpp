#pragma once
// Private to the record reader: the field tables (the single source for parsing, "did you mean"
// and knownFields()), the numeric field rules and small text helpers for diagnostics.
#include <flopledger/diagnostic.hpp>

#include "io/json_sax.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail::rec {

using recjson::JsonDocument;
using recjson::JsonKind;
using recjson::JsonNode;
using recjson::kNoNode;

// Field tables: the single source for parsing, "did you mean" and knownFields().
inline constexpr std::array<std::string_view, 18> kModelFields = {"type",
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
                                                                  "layer",
                                                                  "supersedes",
                                                                  "facts"};
inline constexpr std::array<std::string_view, 10> kClusterFields = {
    "type",           "id",
    "name",           "accelerator",
    "count",          "peak_flop_per_s",
    "network_gbit_s", "single_datacenter",
    "sources",        "notes"};
inline constexpr std::array<std::string_view, 29> kArchitectureFields = {
    "family", "params", "active_params", "layers", "encoder_layers", "decoder_layers", "d_model",
    "heads", "kv_heads", "head_dim", "ffn", "mlp", "vocab", "tied_embeddings", "moe", "image_size",
    "patch_size", "channels", "classes", "forward_flop_per_example",
    // v2 (contract 2.2)
    "attention", "sliding_window", "local_global", "chunked_attention", "mtp_depth", "ssm",
    "attention_layers", "ffn_layers", "vision"};
inline constexpr std::array<std::string_view, 6> kMlaFields = {
    "kind", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"};
inline constexpr std::array<std::string_view, 2> kLocalGlobalFields = {"window", "global_every"};
inline constexpr std::array<std::string_view, 2> kChunkedFields = {"chunk", "global_every"};
inline constexpr std::array<std::string_view, 9> kSsmFields = {
    "kind",   "layers",      "d_inner",    "d_state", "heads",
    "groups", "conv_kernel", "chunk_size", "dt_rank"};
inline constexpr std::array<std::string_view, 2> kSsmKindNames = {"mamba", "mamba2"};
inline constexpr std::array<std::string_view, 11> kVisionFields = {
    "layers",      "d_model",          "heads",      "ffn",
    "mlp",         "image_size",       "patch_size", "channels",
    "class_token", "projector_hidden", "frozen"};
inline constexpr std::array<std::string_view, 5> kMoeFields = {"experts", "active", "shared",
                                                               "expert_ffn", "dense_layers"};
inline constexpr std::array<std::string_view, 18> kStageFields = {
    "kind",          "label",    "source",    "tokens",     "examples",    "seq_len",
    "target_len",    "flop",     "hardware",  "recompute",  "public",      "params",
    "active_params", "cost_usd", "estimator", "confidence", "undisclosed", "images"};
inline constexpr std::array<std::string_view, 7> kHardwareFields = {
    "accelerator", "count", "hours", "chip_hours", "precision", "utilization", "days"};
inline constexpr std::array<std::string_view, 3> kParentFields = {"id", "training_flop",
                                                                  "systemic_risk"};
inline constexpr std::array<std::string_view, 3> kReportedFields = {"training_flop", "source",
                                                                    "note"};
inline constexpr std::array<std::string_view, 2> kSourceFields = {"what", "url"};
inline constexpr std::array<std::string_view, 4> kIntervalFields = {"low", "high", "central",
                                                                    "distribution"};
inline constexpr std::array<std::string_view, 3> kRegistryFields = {"records", "$schema", "notes"};

inline constexpr std::array<std::string_view, 5> kFamilyNames = {
    "decoder", "encoder", "encoder-decoder", "vit", "generic"};
inline constexpr std::array<std::string_view, 2> kMlpNames = {"plain", "gated"};
inline constexpr std::array<std::string_view, 8> kModalityNames = {
    "text", "code", "image", "video", "audio", "speech", "biology", "other"};
inline constexpr std::array<std::string_view, 3> kDistributionNames = {"uniform", "log-uniform",
                                                                       "triangular"};
inline constexpr std::array<std::string_view, 2> kWeightNames = {"open", "closed"};
inline constexpr std::array<std::string_view, 2> kLayerNames = {"curated", "epoch"};
inline constexpr std::array<std::string_view, 2> kTypeNames = {"model", "cluster"};

template <std::size_t N>
std::vector<std::string_view> toVector(const std::array<std::string_view, N>& a) {
    return {a.begin(), a.end()};
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& a, std::string_view s) {
    return std::find(a.begin(), a.end(), s) != a.end();
}

inline std::string quote(std::string_view s) {
    constexpr std::size_t kShown = 60;
    std::string out = "'";
    // Control characters are shown escaped: a diagnostic stays one line whatever a name holds.
    for (const char c : s.substr(0, kShown)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
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

inline std::string_view kindName(JsonKind k) {
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

inline bool validId(std::string_view id) {
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

// fieldIndex through a per-table index of the names by length (fast path): a member name is
// compared only with the table's names of its length (one or two), not with all of them.
template <std::size_t N>
class FieldIndex {
public:
    static_assert(N <= 64, "one bit per name");
    explicit FieldIndex(const std::array<std::string_view, N>& names) : table_(&names) {
        for (std::size_t i = 0; i < N; ++i)
            if (names[i].size() < kLengths) byLength_[names[i].size()] |= std::uint64_t(1) << i;
    }
    // fieldIndex(names, k); `names` other than the indexed table take the scan.
    std::size_t find(const std::array<std::string_view, N>& names, std::string_view k) const {
        if (&names != table_ || k.size() >= kLengths) return fieldIndex(names, k);
        for (std::uint64_t m = byLength_[k.size()]; m != 0; m &= m - 1) {
            const auto i = static_cast<std::size_t>(__builtin_ctzll(m));
            if (std::memcmp(names[i].data(), k.data(), k.size()) == 0) return i;
        }
        return N;
    }

private:
    static constexpr std::size_t kLengths = 40;  // longer names (none today) take the scan
    const std::array<std::string_view, N>* table_;
    std::array<std::uint64_t, kLengths> byLength_{};
};

// How a numeric field is constrained. Every field rejects negatives.
struct Rule {
    enum Range { NonNegative, Positive, Fraction, Utilization } range = NonNegative;
    bool integer = false;
};
inline constexpr Rule kAmount{Rule::NonNegative, false};
inline constexpr Rule kPositive{Rule::Positive, false};
inline constexpr Rule kCount{Rule::NonNegative, true};
inline constexpr Rule kPositiveCount{Rule::Positive, true};
inline constexpr Rule kFraction{Rule::Fraction, false};
inline constexpr Rule kUtilization{Rule::Utilization, false};

}  // namespace flopledger::inline v1::detail::rec
