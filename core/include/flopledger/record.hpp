#pragma once
// The registry data model (docs/data-format.md): model and cluster records, architectures and
// the compute ledger of stages. Plain data; readers live in record_reader.hpp.
#include <flopledger/date.hpp>
#include <flopledger/quantity.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace flopledger {
inline namespace v1 {

enum class Family { Decoder, Encoder, EncoderDecoder, Vit, Generic };
enum class MlpKind { Plain, Gated };

/// Every stage kind of the contract, in contract order.
enum class StageKind {
    Pretraining,
    ContinuedPretraining,
    FineTuning,
    Rl,
    SyntheticData,
    DistillationTeacher,
    RewardModel,
    MergedParent,
    Evaluation,
    FailedRun,
    Inference,
    Other,
};
inline constexpr int kStageKindCount = 12;

enum class Precision { Fp32, Tf32, Bf16, Fp16, Fp8, Int8 };
inline constexpr int kPrecisionCount = 6;

enum class Modality { Text, Code, Image, Video, Audio, Speech, Biology, Other };

std::string_view toString(Family f);
std::string_view toString(MlpKind m);
std::string_view toString(StageKind k);
std::string_view toString(Precision p);
std::string_view toString(Modality m);
/// Parse the contract spelling ("encoder-decoder", "fine-tuning", "bf16", ...); nullopt if unknown.
std::optional<Family> parseFamily(std::string_view s);
std::optional<MlpKind> parseMlpKind(std::string_view s);
std::optional<StageKind> parseStageKind(std::string_view s);
std::optional<Precision> parsePrecision(std::string_view s);
std::optional<Modality> parseModality(std::string_view s);
/// All spellings, for "did you mean" and documentation.
std::vector<std::string_view> stageKindNames();
std::vector<std::string_view> precisionNames();

struct MoeShape {
    Quantity experts;                   ///< routed experts per MoE layer
    Quantity active;                    ///< routed experts used per token (top-k)
    Quantity shared;                    ///< shared (always-on) experts, default 0
    std::optional<Quantity> expertFfn;  ///< inner width of one expert; default: architecture ffn
    Quantity denseLayers;               ///< the first k blocks are dense, default 0
};

/// Multi-head latent attention as trained (DeepSeek-V2): queries and keys/values go through
/// low-rank latents and are up-projected per head; the rope key is one d -> rope projection
/// shared by all heads. No weight absorption (that is an inference rewrite).
struct MlaShape {
    Quantity qLoraRank;  ///< 0: queries projected directly from d_model
    Quantity kvLoraRank;
    Quantity qkNopeHeadDim;
    Quantity qkRopeHeadDim;
    Quantity vHeadDim;
};

/// Windowed attention on most blocks, full attention on every N-th (Gemma 2/3: a sliding window
/// of W keys; Llama 4: attention within fixed chunks of C tokens).
struct LocalGlobal {
    Quantity span;         ///< window W (sliding) or chunk C (chunked)
    Quantity globalEvery;  ///< every N-th block attends to all keys
};

enum class SsmKind { Mamba, Mamba2 };
std::string_view toString(SsmKind k);

/// State-space token mixers replacing attention in some blocks (Mamba in Jamba, Mamba-2 in
/// Nemotron-H).
struct SsmShape {
    SsmKind kind = SsmKind::Mamba2;
    Quantity layers;      ///< blocks whose token mixer is the SSM
    Quantity dInner;      ///< expand x d_model
    Quantity dState;      ///< N
    Quantity heads;       ///< Mamba-2 heads (head dim P = d_inner / heads)
    Quantity groups;      ///< Mamba-2 B/C groups, default 1
    Quantity convKernel;  ///< depthwise causal convolution width, default 4
    Quantity chunkSize;   ///< Mamba-2 SSD chunk length Q, default 256
    Quantity dtRank;      ///< Mamba: rank of the step-size projection
};

/// A ViT image encoder and projector feeding image tokens to a decoder (LLaVA-style).
struct VisionTower {
    Quantity layers, dModel, heads, ffn;
    MlpKind mlp = MlpKind::Plain;
    Quantity imageSize, patchSize, channels;
    bool classToken = true;    ///< one extra token per image inside the encoder
    Quantity projectorHidden;  ///< 0: one linear layer to the decoder width; else a 2-layer MLP
    bool frozen = false;       ///< encoder not trained: forward only
};

struct Architecture {
    Family family = Family::Decoder;
    std::optional<Quantity> params;         ///< stated total parameters
    std::optional<Quantity> activeParams;   ///< stated parameters per token (MoE)
    std::optional<Quantity> layers;         ///< transformer blocks (decoder, encoder, vit)
    std::optional<Quantity> encoderLayers;  ///< encoder-decoder
    std::optional<Quantity> decoderLayers;  ///< encoder-decoder
    std::optional<Quantity> dModel;
    std::optional<Quantity> heads;
    std::optional<Quantity> kvHeads;  ///< default heads
    std::optional<Quantity> headDim;  ///< default dModel / heads
    std::optional<Quantity> ffn;
    MlpKind mlp = MlpKind::Plain;
    std::optional<Quantity> vocab;
    bool tiedEmbeddings = false;
    std::optional<MoeShape> moe;
    std::optional<Quantity> imageSize, patchSize, channels, classes;  ///< vit
    std::optional<Quantity> forwardFlopPerExample;                    ///< generic
    // v2 (contract 2.2)
    std::optional<MlaShape> mla;                  ///< attention: {"kind": "mla", ...}
    std::optional<Quantity> slidingWindow;        ///< every block attends to W keys
    std::optional<LocalGlobal> localGlobal;       ///< sliding window W, global every N-th block
    std::optional<LocalGlobal> chunkedAttention;  ///< chunks of C tokens, global every N-th block
    std::optional<Quantity> mtpDepth;             ///< multi-token-prediction modules
    std::optional<SsmShape> ssm;
    std::optional<Quantity>
        attentionLayers;                ///< blocks with attention, default layers - ssm.layers
    std::optional<Quantity> ffnLayers;  ///< blocks with an MLP/MoE, default layers
    std::optional<VisionTower> vision;
};

struct HardwareUse {
    std::string accelerator;              ///< id in the hardware table
    std::optional<Quantity> count;        ///< chips
    std::optional<Quantity> hours;        ///< wall-clock hours (with count)
    std::optional<Quantity> chipHours;    ///< chip-hours (instead of count x hours)
    std::optional<Precision> precision;   ///< number format whose dense peak applies
    std::optional<Quantity> utilization;  ///< model FLOP utilization, 0 < u <= 1
};

struct Stage {
    StageKind kind = StageKind::Pretraining;
    std::string label;
    std::string source;
    std::optional<Quantity> tokens;
    std::optional<Quantity> examples;
    std::optional<Quantity> seqLen;
    std::optional<Quantity> targetLen;
    std::optional<Quantity> images;  ///< images through the vision tower (architecture.vision)
    std::optional<Quantity> flop;    ///< stated compute (method "stated")
    std::optional<HardwareUse> hardware;
    bool recompute = false;
    std::optional<bool> isPublic;    ///< synthetic-data: generated data publicly accessible
    std::optional<Quantity> params;  ///< stage run on another model (teacher, generator)
    std::optional<Quantity> activeParams;
    std::optional<Quantity> costUsd;
    std::string estimator;     ///< who produced `flop` if not the developer (import)
    std::string confidence;    ///< e.g. Epoch's "Confident", "Likely", "Speculative"
    bool undisclosed = false;  ///< the stage happened but its compute was not published
    bool confidenceInterval = false;  ///< `flop` widened from a point by its confidence label
    std::string pointer;       ///< JSON pointer of this stage in its file
};

struct ParentRef {
    std::string id;
    std::optional<Quantity> trainingFlop;
    std::optional<bool> systemicRisk;
};

struct Reported {
    std::optional<Quantity> trainingFlop;
    std::string source;
    std::string note;  ///< extension: free text (e.g. how the figure was published)
};

/// A qualitative legal criterion declared by the record (contract 7.5): "facts": {"ID": bool}.
struct DeclaredFact {
    std::string id;
    bool value = false;
};

struct Citation {
    std::string what;
    std::string url;
};

/// Where a record came from, for diagnostics.
struct SourceLocation {
    std::string file;
    std::size_t line = 0;
    std::string pointer;  ///< of the record within its file ("" for a whole file, "/3" in an array)
};

struct ModelRecord {
    std::string id;
    std::string name;
    std::string developer;
    std::optional<Date> released;
    std::vector<Modality> modalities;
    std::optional<Quantity> bioSequenceShare;
    std::optional<bool> openWeights;  ///< "open" -> true, "closed" -> false
    std::optional<Quantity> developerRevenueUsd;
    std::optional<ParentRef> parent;
    std::optional<Architecture> architecture;
    std::vector<Stage> stages;
    std::optional<Reported> reported;
    std::vector<Citation> sources;
    std::string notes;
    /// extension: "curated", "epoch" or "" (not said); the registry layer the record came from
    std::string layer;
    /// extension: "epoch:<id>", the lower-layer record this one replaces (registry_layers.hpp)
    std::string supersedes;
    std::vector<DeclaredFact> facts;  ///< extension (contract 7.5): in file order; ids unique
    SourceLocation location;
    int uncertainCount = 0;  ///< number of sampleIndex values assigned
    /// The declared value of a fact; nullopt if the record does not declare it.
    std::optional<bool> fact(std::string_view factId) const;
};

struct ClusterRecord {
    std::string id;
    std::string name;
    std::string accelerator;
    std::optional<Quantity> count;
    std::optional<Quantity> peakFlopPerS;  ///< else count x dense peak from the hardware table
    std::optional<Quantity> networkGbitS;
    std::optional<bool> singleDatacenter;
    std::vector<Citation> sources;
    std::string notes;
    SourceLocation location;
    int uncertainCount = 0;
};

using Record = std::variant<ModelRecord, ClusterRecord>;

const std::string& recordId(const Record& r);
const SourceLocation& recordLocation(const Record& r);

}  // inline namespace v1
}  // namespace flopledger
