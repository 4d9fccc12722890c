#pragma once
// Private to the core: the bytes inside a ReportFragment (report.hpp), and what a writer needs
// computed. The writers read the bytes; the streaming engine (stream/input_engine.cpp) marks
// and cuts them at record boundaries, so that one fragment carries a whole batch of records,
// and asks the assessor for what the writer needs (AssessRequest).
#include <flopledger/report.hpp>

#include "assess/assess_request.hpp"

#include <string>

namespace flopledger::inline v1 {

struct FragmentAccess {
    static std::string& bytes(ReportFragment& f) { return f.bytes_; }
    static const std::string& bytes(const ReportFragment& f) { return f.bytes_; }
};

/// The writers made by ReportWriter::create: each says what it prints, so that the evaluator
/// computes nothing more (the text table: no verdict texts when it has the policy columns, no
/// probabilities).
class CoreReportWriter : public ReportWriter {
public:
    virtual AssessRequest needs() const { return {}; }
};

/// What `writer` needs; everything for a writer the core did not make.
inline AssessRequest writerNeeds(const ReportWriter& writer) {
    const auto* core = dynamic_cast<const CoreReportWriter*>(&writer);
    return core != nullptr ? core->needs() : AssessRequest{};
}

}  // namespace flopledger
