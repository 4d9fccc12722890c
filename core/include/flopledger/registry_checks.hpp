#pragma once
// Checks that need the whole registry (issue 18): parent references that loop or lead nowhere.
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <vector>

namespace flopledger {
inline namespace v1 {

/// One ParentCycle error per record that is its own ancestor (a self-parent or a loop of
/// parents), at the record's `parent` field; one UnknownParent warning per parent id that no
/// record of the registry has when the reference carries no `training_flop` of its own (so the
/// parent's compute is unknown). Linear in the number of records.
std::vector<Diagnostic> checkParents(const std::vector<Record>& registry);

}  // inline namespace v1
}  // namespace flopledger
