#pragma once
// Private to the JSON output (assessment_json.cpp): compact runs of the constant bytes around an
// estimate's enum-named fields (a stage's kind and method, a warning's code and name), made once
// per run so a record writes each run in one copy instead of looking names up and writing keys
// one by one. Used only with the memo (the fast paths); OFF writes the pieces.
#include <flopledger/diagnostic.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/record.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail::jsonout {

struct EstimateRuns {
    /// After `{"kind":`: "pretraining","label":
    std::array<std::string, kStageKindCount> kind;
    /// After the label: ,"method":"six-nd","flop":  ([kMethodCount]: a stage without a method)
    std::array<std::string, kMethodCount + 1> method;
    /// After the stage's flop: ,"methods":{"six-nd":  (the object and its first key)
    std::array<std::string, kMethodCount> firstMethod;
    /// After a method's interval: ,"hardware":
    std::array<std::string, kMethodCount> nextMethod;
    /// After the last interval of a stage computed without defaults that point into it:
    /// ,"origin":"computed","assumptions":
    std::string computed;
    /// After `{"code":`, by the code's number: "W803","name":"assumption-used","pointer": (or
    /// ,"message": for a warning without a pointer); empty for a number that is no code.
    std::vector<std::string> warningPointer, warningMessage;

    /// The warning run for d (empty when there is none).
    std::string_view warning(ErrorCode code, bool pointer) const {
        const auto n = static_cast<std::size_t>(code);
        const auto& all = pointer ? warningPointer : warningMessage;
        return n < all.size() ? std::string_view(all[n]) : std::string_view();
    }
};

const EstimateRuns& estimateRuns();

}  // namespace flopledger::inline v1::detail::jsonout
