// Enum spellings of the record model (docs/data-format.md) and record accessors.
#include <flopledger/quantity.hpp>
#include <flopledger/record.hpp>

#include <array>

namespace flopledger::inline v1 {
namespace {

constexpr std::array<std::string_view, 5> kFamilies = {"decoder", "encoder", "encoder-decoder",
                                                       "vit", "generic"};
constexpr std::array<std::string_view, 2> kMlps = {"plain", "gated"};
constexpr std::array<std::string_view, kStageKindCount> kStageKinds = {
    "pretraining",    "continued-pretraining",
    "fine-tuning",    "rl",
    "synthetic-data", "distillation-teacher",
    "reward-model",   "merged-parent",
    "evaluation",     "failed-run",
    "inference",      "other"};
constexpr std::array<std::string_view, kPrecisionCount> kPrecisions = {"fp32", "tf32", "bf16",
                                                                       "fp16", "fp8",  "int8"};
constexpr std::array<std::string_view, 8> kModalities = {"text",  "code",   "image",   "video",
                                                         "audio", "speech", "biology", "other"};
constexpr std::array<std::string_view, 3> kDistributions = {"uniform", "log-uniform", "triangular"};

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<std::string_view, N>& names, E e) {
    const auto i = static_cast<std::size_t>(e);
    return i < N ? names[i] : std::string_view("?");
}

template <typename E, std::size_t N>
std::optional<E> parseName(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace

std::string_view toString(Family f) {
    return nameOf(kFamilies, f);
}
std::string_view toString(MlpKind m) {
    return nameOf(kMlps, m);
}
std::string_view toString(SsmKind k) {
    return k == SsmKind::Mamba ? "mamba" : "mamba2";
}
std::string_view toString(StageKind k) {
    return nameOf(kStageKinds, k);
}
std::string_view toString(Precision p) {
    return nameOf(kPrecisions, p);
}
std::string_view toString(Modality m) {
    return nameOf(kModalities, m);
}
std::string_view toString(Distribution d) {
    return nameOf(kDistributions, d);
}

std::optional<Family> parseFamily(std::string_view s) {
    return parseName<Family>(kFamilies, s);
}
std::optional<MlpKind> parseMlpKind(std::string_view s) {
    return parseName<MlpKind>(kMlps, s);
}
std::optional<StageKind> parseStageKind(std::string_view s) {
    return parseName<StageKind>(kStageKinds, s);
}
std::optional<Precision> parsePrecision(std::string_view s) {
    return parseName<Precision>(kPrecisions, s);
}
std::optional<Modality> parseModality(std::string_view s) {
    return parseName<Modality>(kModalities, s);
}

std::vector<std::string_view> stageKindNames() {
    return {kStageKinds.begin(), kStageKinds.end()};
}
std::vector<std::string_view> precisionNames() {
    return {kPrecisions.begin(), kPrecisions.end()};
}

const std::string& recordId(const Record& r) {
    return std::visit([](const auto& rec) -> const std::string& { return rec.id; }, r);
}

const SourceLocation& recordLocation(const Record& r) {
    return std::visit([](const auto& rec) -> const SourceLocation& { return rec.location; }, r);
}

}  // namespace flopledger
