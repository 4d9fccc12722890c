// The shared pipeline: estimate, then evaluate the selected policies as of each date.
#include <flopledger/assessment.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/provenance.hpp>
#include <flopledger/verdict_explain.hpp>

#include "assess/assess_request.hpp"
#include "estimate/estimate_parts.hpp"
#include "policy/evaluation_request.hpp"
#include "policy/verdict_explain_detail.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace flopledger::inline v1 {
namespace {

// Runs fn(i) for i in [0, n) on up to `threads` threads; the first exception is rethrown.
template <typename Fn>
void parallelFor(std::size_t n, unsigned threads, Fn fn) {
    if (threads == 0) {
        threads = std::max(1u, std::thread::hardware_concurrency());
    }
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, n));
    if (threads <= 1) {
        for (std::size_t i = 0; i < n; ++i) {
            fn(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto work = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error) {
                    error = std::current_exception();
                }
                next = n;
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (auto& t : pool) {
        t.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

// Builds the estimate directly inside the optional (guaranteed copy elision through the
// conversion): assigning the returned ModelEstimate would move each stage, its intervals and
// strings once more.
struct EstimateInPlace {
    const Estimator& estimator;
    const ModelRecord& record;
    bool breakdown = true;            ///< AssessRequest::breakdown
    operator ModelEstimate() const {  // NOLINT
        return detail::estimateModel(estimator, record, {breakdown, breakdown});
    }
};

}  // namespace

// Evaluators for requests for less than everything (AssessRequest), indexed by what is left out;
// each is built once, on first use, by whichever thread asks first.
struct Assessor::Lean {
    std::once_flag once[4];
    std::unique_ptr<PolicyEvaluator> evaluators[4];
};

namespace {
std::size_t leanSlot(const AssessRequest& r) {
    return (r.verdictTexts ? 1 : 0) + (r.probabilities ? 2 : 0);
}
}  // namespace

void Assessor::explain(const RecordAssessment& r, DatedVerdicts& dated,
                       const EvaluationOptions& eval, const AssessRequest& request) const {
    ExplainOptions xo;
    xo.evaluation = eval;
    xo.assumeUndisclosed = options_.assumeUndisclosed;
    if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
        detail::explainVerdicts(*m, *r.estimate, policies_, dated.asOf, dated.verdicts, xo,
                                request.evaluation());
    } else {
        detail::explainVerdicts(std::get<ClusterRecord>(*r.record), policies_, dated.asOf,
                                dated.verdicts, xo, request.evaluation());
    }
}

Assessor::Assessor(AssessOptions options)
    : options_(std::move(options)),
      catalog_(options_.catalog != nullptr ? options_.catalog : &PolicyCatalog::defaults()),
      estimator_(std::make_unique<Estimator>(options_.estimate)) {
    if (options_.asOf.empty()) {
        options_.asOf.push_back(Date::today());
        asOfDefaulted_ = true;
    }
    if (options_.evaluate) {
        policies_ = catalog_->select(options_.policies);
        for (const Policy* p : policies_) {
            policyIds_.push_back(p->id);
        }
    }
    EvaluationOptions eval;
    eval.monteCarlo = options_.monteCarlo;
    eval.estimator = estimator_.get();
    eval.hardware = options_.estimate.hardware;
    evaluator_ = std::make_unique<PolicyEvaluator>(policies_, eval);
    evaluation_ = eval;
    lean_ = std::make_unique<Lean>();
}

Assessor::~Assessor() = default;
Assessor::Assessor(Assessor&&) noexcept = default;
Assessor& Assessor::operator=(Assessor&&) noexcept = default;

RecordAssessment Assessor::assess(Record record) const {
    return assess(std::make_shared<const Record>(std::move(record)));
}

RecordAssessment Assessor::assess(std::shared_ptr<const Record> record) const {
    return assess(std::move(record), AssessRequest{});
}

RecordAssessment Assessor::assess(std::shared_ptr<const Record> record,
                                  const AssessRequest& request) const {
    RecordAssessment r;
    r.record = std::move(record);
    if (const auto* m = std::get_if<ModelRecord>(r.record.get());
        m != nullptr && options_.confidenceIntervals && needsConfidenceIntervals(*m)) {
        ModelRecord widened = *m;
        applyConfidenceIntervals(widened);
        r.record = std::make_shared<const Record>(std::move(widened));
    }
    if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
        r.estimate.emplace(EstimateInPlace{*estimator_, *m, request.breakdown});
    }
    if (!options_.evaluate) {
        return r;
    }
    const PolicyEvaluator* evaluator = evaluator_.get();
    if (!request.full()) {
        const std::size_t slot = leanSlot(request);
        std::call_once(lean_->once[slot], [&] {
            lean_->evaluators[slot] = std::make_unique<PolicyEvaluator>(
                detail::EvaluatorAccess::make(policies_, evaluation_, request.evaluation()));
        });
        evaluator = lean_->evaluators[slot].get();
    }
    r.dates.reserve(options_.asOf.size());
    for (const Date& d : options_.asOf) {
        DatedVerdicts& dated = r.dates.emplace_back();  // built in place: no move
        dated.asOf = d;
        if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
            dated.verdicts = evaluator->evaluate(*m, *r.estimate, d);
        } else {
            dated.verdicts = evaluator->evaluate(std::get<ClusterRecord>(*r.record), d);
        }
        explain(r, dated, evaluation_, request);
    }
    return r;
}

std::vector<RecordAssessment> Assessor::assessAll(std::vector<Record> records,
                                                  unsigned threads) const {
    return assessAll(std::move(records), threads, AssessRequest{});
}

std::vector<RecordAssessment> Assessor::assessAll(std::vector<Record> records, unsigned threads,
                                                  const AssessRequest& request) const {
    std::vector<RecordAssessment> results(records.size());
    parallelFor(records.size(), threads, [&](std::size_t i) {
        RecordAssessment& r = results[i];
        if (auto* m = std::get_if<ModelRecord>(&records[i]);
            m != nullptr && options_.confidenceIntervals) {
            applyConfidenceIntervals(*m);
        }
        r.record = std::make_shared<const Record>(std::move(records[i]));
        if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
            r.estimate.emplace(EstimateInPlace{*estimator_, *m, request.breakdown});
        }
    });
    if (!options_.evaluate) {
        return results;
    }
    // Parents referenced by id and frontier ranks need the whole registry.
    RegistryContext context;
    for (const auto& r : results) {
        if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
            context.add(*m, *r.estimate);
        }
    }
    EvaluationOptions eval = evaluation_;
    eval.registry = &context;
    const PolicyEvaluator evaluator =
        detail::EvaluatorAccess::make(policies_, eval, request.evaluation());
    parallelFor(results.size(), threads, [&](std::size_t i) {
        RecordAssessment& r = results[i];
        for (const Date& d : options_.asOf) {
            DatedVerdicts dated;
            dated.asOf = d;
            if (const auto* m = std::get_if<ModelRecord>(r.record.get())) {
                dated.verdicts = evaluator.evaluate(*m, *r.estimate, d);
            } else {
                dated.verdicts = evaluator.evaluate(std::get<ClusterRecord>(*r.record), d);
            }
            explain(r, dated, eval, request);
            r.dates.push_back(std::move(dated));
        }
    });
    return results;
}

}  // namespace flopledger::inline v1
