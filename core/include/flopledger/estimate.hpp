#pragma once
// Estimation: every method a stage's inputs allow (stated, architecture, six-nd, hardware),
// the per-component breakdown, and the ledger totals (docs/methodology.md).
#include <flopledger/diagnostic.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/quantity.hpp>
#include <flopledger/record.hpp>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

enum class Convention { Matmul, Kaplan, Chinchilla, Palm, Megatron };
enum class Method { Stated, Architecture, SixNd, Hardware };
inline constexpr int kMethodCount = 4;

std::string_view toString(Convention c);
std::string_view toString(Method m);
std::optional<Convention> parseConvention(std::string_view s);
std::optional<Method> parseMethod(
    std::string_view s);  ///< "stated", "architecture", "six-nd", "hardware"

/// How MoE parameters are counted by six-nd and the architecture method.
enum class MoeCounting { Active, AllExperts };

/// Which parameter count N the `palm` convention's 6N term uses (PaLM App. B leaves it open):
/// all parameters, non-embedding parameters (default), or non-embedding plus the output
/// (logit) matrix, as nanoGPT's estimate_mfu does for tied embeddings.
enum class PalmParams { Total, NonEmbedding, NonEmbeddingTiedOutput };

struct EstimateOptions {
    Convention convention = Convention::Matmul;
    /// Order in which a stage's value is chosen among the methods that apply.
    std::vector<Method> prefer = {Method::Stated, Method::Architecture, Method::SixNd,
                                  Method::Hardware};
    MoeCounting moe = MoeCounting::Active;
    /// Utilization assumed when a hardware stage gives none (Epoch 2022): language models 0.3,
    /// others 0.4. Reported as an assumption in the warnings.
    Exact defaultUtilizationLanguage = Exact(3) / 10;
    Exact defaultUtilizationOther = Exact(4) / 10;
    /// Precision assumed when a hardware stage gives none: bf16 (reported as an assumption).
    Precision defaultPrecision = Precision::Bf16;
    /// Overrides the stated precision of every hardware stage (sensitivity analysis).
    std::optional<Precision> forcePrecision;
    /// Overrides every hardware stage's utilization (sensitivity analysis).
    std::optional<Exact> forceUtilization;
    const HardwareCatalog* hardware = nullptr;  ///< nullptr: HardwareCatalog::defaults()
    /// The N of the `palm` convention.
    PalmParams palmParams = PalmParams::NonEmbedding;
    /// `megatron` convention: pad the vocabulary up to a multiple of megatronVocabMultiple, as
    /// Megatron-LM does (make-vocab-size-divisible-by 128 x tensor-parallel size).
    bool megatronPadVocab = false;
    int megatronVocabMultiple = 128;
};

/// One named component of the forward pass, FLOP per token (or per example for vit/generic).
struct Component {
    std::string name;  ///< "attention-projections", "attention-scores", "attention-values",
                       ///< "mlp", "experts", "router", "cross-attention", "logits", "embedding",
                       ///< "patch-embedding", "classifier", "softmax", ...
    Interval flop;     ///< training FLOP of this component for the whole stage
};

struct StageEstimate {
    StageKind kind = StageKind::Pretraining;
    std::string label;
    std::optional<Method> method;  ///< chosen; empty: none applied
    Interval flop;                 ///< model FLOP of the stage (0 if none)
    std::array<std::optional<Interval>, kMethodCount> methods;  ///< every method that applied
    std::vector<Component> breakdown;                           ///< architecture method components
    std::optional<Interval> impliedUtilization;  ///< operation count / hardware capacity
    std::optional<Interval> recomputeFlop;       ///< extra hardware FLOP (recompute)
    std::optional<Interval> hardwareCapacity;    ///< chips x seconds x dense peak
    bool isPublic = false;                       ///< synthetic-data, public output
    /// Copied from the input stage, so an estimate owns everything it reports and outlives the
    /// record it was made from (no pointer back into the input).
    std::optional<bool> declaredPublic;  ///< the stage's "public" field as written
    std::optional<Quantity> costUsd;     ///< the stage's "cost_usd"
};

struct ParamCounts {
    /// Derived from the shape: attention and MLP/expert matrices, router, MLM
    /// head/pooler/classifier and patch projection; embeddings V x d (twice when untied). Norms,
    /// biases and position embeddings are not modelled.
    std::optional<Interval> total;         ///< derived from the shape (all experts)
    std::optional<Interval> active;        ///< derived: used per token
    std::optional<Interval> nonEmbedding;  ///< derived: total minus embeddings
};

struct ModelEstimate {
    std::string id;
    std::string name;
    Convention convention = Convention::Matmul;
    Interval total;                                ///< sum of every stage's model FLOP
    std::array<Interval, kStageKindCount> byKind;  ///< totals per stage kind
    std::vector<StageEstimate> stages;
    ParamCounts params;
    std::vector<Diagnostic> warnings;  ///< warnings and assumptions (W8xx)
};

/// Which stages count toward a total. Policies build these from their counting scope.
struct CountingScope {
    std::array<bool, kStageKindCount> include{};  ///< per stage kind
    bool publicSyntheticData = false;             ///< count synthetic-data stages marked public
    bool recompute = false;                       ///< add recomputation (hardware FLOP)

    static CountingScope all();           ///< every kind, public synthetic data and recompute
    static CountingScope trainingOnly();  ///< the kinds that update this model's parameters
    bool includes(const StageEstimate& s) const;
};

/// The total of the stages a scope includes.
[[nodiscard]] Interval countedFlop(const ModelEstimate& estimate, const CountingScope& scope);

class Estimator {
public:
    explicit Estimator(EstimateOptions options = {});
    /// Estimates every stage and the total. Never throws for estimable records; a stage no method
    /// can estimate gets flop 0 and a MissingInputs diagnostic in warnings.
    /// The result owns its data: it stays valid after `record` is destroyed.
    [[nodiscard]] ModelEstimate estimate(const ModelRecord& record) const;
    /// Forward FLOP per token (per example for vit and generic) of an architecture under a
    /// convention, component by component; throws InputError on an impossible shape.
    std::vector<Component> forwardPerToken(const Architecture& arch, const Exact& seqLen,
                                           const Exact& targetLen) const;
    ParamCounts deriveParams(const Architecture& arch) const;
    const EstimateOptions& options() const { return options_; }

private:
    EstimateOptions options_;
};

}  // inline namespace v1
}  // namespace flopledger
