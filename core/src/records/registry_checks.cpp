#include <flopledger/registry_checks.hpp>

#include <string_view>
#include <unordered_map>

namespace flopledger::inline v1 {
namespace {

const ParentRef* parentOf(const Record& r) {
    const auto* m = std::get_if<ModelRecord>(&r);
    return m != nullptr && m->parent ? &*m->parent : nullptr;
}

Diagnostic at(const Record& r, Severity severity, ErrorCode code, std::string message) {
    const SourceLocation& loc = recordLocation(r);
    return Diagnostic{severity,          code, loc.file, loc.line, loc.pointer + "/parent/id",
                      std::move(message)};
}

}  // namespace

std::vector<Diagnostic> checkParents(const std::vector<Record>& registry) {
    std::unordered_map<std::string_view, std::size_t> index;
    index.reserve(registry.size());
    for (std::size_t i = 0; i < registry.size(); ++i) index.emplace(recordId(registry[i]), i);
    std::vector<Diagnostic> out;
    // Colouring walk: 0 unvisited, 1 on the current chain, 2 done. Each record is walked once.
    std::vector<unsigned char> state(registry.size(), 0);
    std::vector<std::size_t> chain;
    for (std::size_t start = 0; start < registry.size(); ++start) {
        chain.clear();
        std::size_t i = start;
        while (state[i] == 0) {
            state[i] = 1;
            chain.push_back(i);
            const ParentRef* p = parentOf(registry[i]);
            if (p == nullptr) break;
            const auto it = index.find(p->id);
            if (it == index.end()) {
                if (!p->trainingFlop)
                    out.push_back(at(registry[i], Severity::Warning, ErrorCode::UnknownParent,
                                     "'" + recordId(registry[i]) + "' names parent '" + p->id +
                                         "', which is not in the registry and has no "
                                         "training_flop: the parent's compute is unknown"));
                break;
            }
            i = it->second;
            if (state[i] == 1) {
                // A loop: every record from i onwards on the chain is its own ancestor.
                std::size_t k = 0;
                while (chain[k] != i) ++k;
                std::string path;
                for (std::size_t j = k; j < chain.size(); ++j)
                    path += recordId(registry[chain[j]]) + " -> ";
                path += recordId(registry[i]);
                for (std::size_t j = k; j < chain.size(); ++j)
                    out.push_back(at(registry[chain[j]], Severity::Error, ErrorCode::ParentCycle,
                                     "'" + recordId(registry[chain[j]]) +
                                         "' is its own ancestor (" + path + ")"));
            }
        }
        for (std::size_t j : chain) state[j] = 2;
    }
    return out;
}

}  // namespace flopledger
