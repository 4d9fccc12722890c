#pragma once
// Private: checks of the v2 architecture features (contract 2.2) that need more than one field:
// latent ranks that do not fit (E315), windows of 0 or two windowing rules (E316), state-space
// layers that do not fit the blocks (E317), vision towers that cannot exist (E318), and decoder
// features on another family (E319). Called by RecordReader::validate.
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <functional>
#include <string>

namespace flopledger::inline v1::detail {

/// report(code, pointer relative to the record, message, severity)
using FeatureReport = std::function<void(ErrorCode, const std::string&, std::string, Severity)>;

void checkModelFeatures(const ModelRecord& m, const FeatureReport& report);

}  // namespace flopledger::detail
