// The value rules the reader enforces while parsing (no negatives, positive whole counts,
// low <= central <= high, fractions, utilization in (0, 1], sample indices), checked again on a
// record that may have been built in code. A record read from JSON always passes; one built in
// code that fails must not reach the estimator (heads = 0 would divide by zero there).
#include "records/record_validate_values.hpp"

#include <string>

namespace flopledger::inline v1::detail {
namespace {

enum class Range { NonNegative, Positive, Fraction, Utilization };

class ValueChecker {
public:
    ValueChecker(const SourceLocation& loc, int uncertainCount, std::vector<Diagnostic>& out)
        : loc_(loc), uncertainCount_(uncertainCount), out_(out) {}

    void check(const std::optional<Quantity>& q, const std::string& at, Range range,
               bool whole = false) {
        if (q) check(*q, at, range, whole);
    }

    void check(const Quantity& q, const std::string& at, Range range, bool whole = false) {
        const Interval& v = q.value;
        if (v.low < 0 || v.central < 0 || v.high < 0) {
            error(ErrorCode::NumberNegative, at, "must not be negative (got " + show(v) + ")");
            return;
        }
        if (v.low > v.central || v.central > v.high) {
            error(ErrorCode::IntervalOrder, at,
                  "needs low <= central <= high (got " + show(v) + ")");
            return;
        }
        if ((range == Range::Positive || range == Range::Utilization) && v.low == 0) {
            error(ErrorCode::NumberZero, at, "must be positive (got " + show(v) + ")");
            return;
        }
        if ((range == Range::Fraction || range == Range::Utilization) && v.high > 1)
            error(ErrorCode::NumberOutOfRange, at, "must be at most 1 (got " + show(v) + ")");
        if (whole && (boost::multiprecision::denominator(v.low) != 1 ||
                      boost::multiprecision::denominator(v.central) != 1 ||
                      boost::multiprecision::denominator(v.high) != 1))
            error(ErrorCode::NumberNotInteger, at, "must be a whole number (got " + show(v) + ")");
        if (q.uncertain() && (q.sampleIndex < 0 || q.sampleIndex >= uncertainCount_))
            error(ErrorCode::InconsistentRecord, at,
                  "an interval needs a sampleIndex in [0, uncertainCount) (got " +
                      std::to_string(q.sampleIndex) + " with uncertainCount " +
                      std::to_string(uncertainCount_) + ")");
    }

    void architecture(const Architecture& a) {
        const std::string at = "/architecture/";
        check(a.params, at + "params", Range::NonNegative);
        check(a.activeParams, at + "active_params", Range::NonNegative);
        check(a.layers, at + "layers", Range::Positive, true);
        check(a.encoderLayers, at + "encoder_layers", Range::NonNegative, true);
        check(a.decoderLayers, at + "decoder_layers", Range::NonNegative, true);
        check(a.dModel, at + "d_model", Range::Positive, true);
        check(a.heads, at + "heads", Range::Positive, true);
        check(a.kvHeads, at + "kv_heads", Range::Positive, true);
        check(a.headDim, at + "head_dim", Range::Positive, true);
        check(a.ffn, at + "ffn", Range::Positive, true);
        check(a.vocab, at + "vocab", Range::Positive, true);
        check(a.imageSize, at + "image_size", Range::Positive, true);
        check(a.patchSize, at + "patch_size", Range::Positive, true);
        check(a.channels, at + "channels", Range::Positive, true);
        check(a.classes, at + "classes", Range::NonNegative, true);
        check(a.forwardFlopPerExample, at + "forward_flop_per_example", Range::NonNegative);
        if (a.moe) {
            check(a.moe->experts, at + "moe/experts", Range::Positive, true);
            check(a.moe->active, at + "moe/active", Range::Positive, true);
            check(a.moe->shared, at + "moe/shared", Range::NonNegative, true);
            check(a.moe->expertFfn, at + "moe/expert_ffn", Range::Positive, true);
            check(a.moe->denseLayers, at + "moe/dense_layers", Range::NonNegative, true);
        }
    }

    void stage(const Stage& s, std::size_t index) {
        const std::string at = "/stages/" + std::to_string(index) + "/";
        check(s.tokens, at + "tokens", Range::NonNegative);
        check(s.examples, at + "examples", Range::NonNegative);
        check(s.seqLen, at + "seq_len", Range::Positive, true);
        check(s.targetLen, at + "target_len", Range::Positive, true);
        check(s.flop, at + "flop", Range::NonNegative);
        check(s.params, at + "params", Range::NonNegative);
        check(s.activeParams, at + "active_params", Range::NonNegative);
        check(s.costUsd, at + "cost_usd", Range::NonNegative);
        if (s.hardware) {
            check(s.hardware->count, at + "hardware/count", Range::Positive, true);
            check(s.hardware->hours, at + "hardware/hours", Range::NonNegative);
            check(s.hardware->chipHours, at + "hardware/chip_hours", Range::NonNegative);
            check(s.hardware->utilization, at + "hardware/utilization", Range::Utilization);
        }
    }

private:
    void error(ErrorCode code, const std::string& relPointer, std::string message) {
        const std::string name = relPointer.substr(relPointer.rfind('/') + 1);
        out_.push_back(Diagnostic{Severity::Error, code, loc_.file, loc_.line,
                                  loc_.pointer + relPointer,
                                  "\"" + name + "\" " + std::move(message)});
    }
    static std::string show(const Interval& v) {
        if (v.isPoint() && v.low == v.central) return formatExact(v.central, 12);
        return "[" + formatExact(v.low, 12) + ", " + formatExact(v.central, 12) + ", " +
               formatExact(v.high, 12) + "]";
    }

    const SourceLocation& loc_;
    int uncertainCount_;
    std::vector<Diagnostic>& out_;
};

}  // namespace

void checkValues(const Record& record, std::vector<Diagnostic>& out) {
    if (const auto* m = std::get_if<ModelRecord>(&record)) {
        ValueChecker c(m->location, m->uncertainCount, out);
        c.check(m->bioSequenceShare, "/bio_sequence_share", Range::Fraction);
        c.check(m->developerRevenueUsd, "/developer_revenue_usd", Range::NonNegative);
        if (m->architecture) c.architecture(*m->architecture);
        for (std::size_t i = 0; i < m->stages.size(); ++i) c.stage(m->stages[i], i);
        return;
    }
    const auto& cl = std::get<ClusterRecord>(record);
    ValueChecker c(cl.location, cl.uncertainCount, out);
    c.check(cl.count, "/count", Range::Positive, true);
    c.check(cl.peakFlopPerS, "/peak_flop_per_s", Range::Positive);
    c.check(cl.networkGbitS, "/network_gbit_s", Range::NonNegative);
}

}  // namespace flopledger::detail
