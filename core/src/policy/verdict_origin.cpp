// The thread's table of verdict origins (verdict_origin.hpp).
#include "policy/verdict_origin.hpp"

#include "base/exact_fast.hpp"

#include <array>
#include <utility>

namespace flopledger::inline v1::detail {
namespace {

struct Entry {
    const Verdict* data = nullptr;
    std::size_t size = 0;
    VerdictOrigin origin;
};

struct Table {
    bool open = false;
    std::array<Entry, 4> entries;  // one per as-of date (few); more are not recorded
    std::size_t used = 0;
};

Table& table() {
    thread_local Table t;
    return t;
}

}  // namespace

VerdictOriginScope::VerdictOriginScope() {
    Table& t = table();
    t.open = kFastPaths;
    t.used = 0;
}

VerdictOriginScope::~VerdictOriginScope() {
    Table& t = table();
    t.open = false;
    t.used = 0;
}

bool verdictOriginsOpen() {
    return table().open;
}

void recordVerdictOrigin(const std::vector<Verdict>& verdicts, std::uint64_t evaluator,
                         const std::vector<std::uint32_t>& staticNotes) {
    Table& t = table();
    if (!t.open || staticNotes.size() != verdicts.size()) return;
    // A vector recorded earlier in this scope at the same address is gone: its entry goes.
    for (std::size_t i = 0; i < t.used; ++i)
        if (t.entries[i].data == verdicts.data()) {
            if (i + 1 != t.used) std::swap(t.entries[i], t.entries[t.used - 1]);
            --t.used;
            break;
        }
    if (t.used == t.entries.size()) return;
    Entry& e = t.entries[t.used++];
    e.data = verdicts.data();
    e.size = verdicts.size();
    e.origin.evaluator = evaluator;
    e.origin.staticNotes.assign(staticNotes.begin(), staticNotes.end());
}

const VerdictOrigin* verdictOrigin(const std::vector<Verdict>& verdicts) {
    const Table& t = table();
    if (!t.open) return nullptr;
    for (std::size_t i = 0; i < t.used; ++i)
        if (t.entries[i].data == verdicts.data() && t.entries[i].size == verdicts.size() &&
            !verdicts.empty())
            return &t.entries[i].origin;
    return nullptr;
}

}  // namespace flopledger::inline v1::detail
