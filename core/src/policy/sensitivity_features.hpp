#pragma once
// Private: the sensitivity alternatives of the v2 decoder features (issue 20): windowed blocks
// read as full attention, and the multi-token-prediction modules left out.
#include <flopledger/record.hpp>

#include <memory>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

struct RecordAlternative {
    std::string choice;
    std::string value;
    std::shared_ptr<ModelRecord> record;  ///< the record re-estimated under this reading
};

std::vector<RecordAlternative> architectureFeatureAlternatives(const ModelRecord& record);

}  // namespace flopledger::detail
