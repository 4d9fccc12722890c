#pragma once
// Private to the streaming engine (input_engine.cpp): its progress line and its table of the
// ids seen so far.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

using Clock = std::chrono::steady_clock;

class Progress {
public:
    Progress(bool enabled, std::ostream* err)
        : enabled_(enabled), err_(err), start_(Clock::now()) {}
    void tick(std::size_t records) {
        if (!enabled_) {
            return;
        }
        auto now = Clock::now();
        if (now - start_ < std::chrono::seconds(1) ||
            now - last_ < std::chrono::milliseconds(250)) {
            return;
        }
        last_ = now;
        double secs = std::chrono::duration<double>(now - start_).count();
        char buf[96];
        std::snprintf(buf, sizeof buf, "\r%zu records, %.0f records/s ", records,
                      static_cast<double>(records) / secs);
        *err_ << buf << std::flush;
        shown_ = true;
    }
    void done() {
        if (shown_) {
            *err_ << "\r\033[K" << std::flush;
            shown_ = false;
        }
    }

private:
    bool enabled_;
    std::ostream* err_;
    Clock::time_point start_;
    Clock::time_point last_{};
    bool shown_ = false;
};

// Where an id was first used: a line and a file index (into Engine::files_).
struct FirstUse {
    std::size_t line = 0;
    std::uint32_t file = 0;
};

// The ids seen so far, for the duplicate-id check: open addressing over one string arena, so a
// record costs a hash and a probe but no allocation (a node-based map allocated twice per id).
// The probed slots hold a hash and an entry index only (16 bytes, at most half in use): a
// stream of 200,000 ids grows them to 512k slots, which rehashing and random probes walk, while
// the entries (where an id is, where it was first used) are appended in order and read only on
// a hash match.
class IdTable {
public:
    /// Adds `id`; returns nullptr when it is new, else where it was first used (valid until
    /// the next insert).
    const FirstUse* insert(std::string_view id, FirstUse where) {
        if ((entries_.size() + 1) * 2 > slots_.size()) {
            grow();
        }
        const std::size_t h = std::hash<std::string_view>{}(id);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.entry == kEmpty) {
                entries_.push_back(Entry{arena_.size(), id.size(), where});
                arena_.append(id);
                s.hash = h;
                s.entry = entries_.size() - 1;
                return nullptr;
            }
            if (s.hash == h) {
                const Entry& e = entries_[s.entry];
                if (std::string_view(arena_).substr(e.offset, e.length) == id) {
                    return &e.where;
                }
            }
        }
    }

private:
    static constexpr std::size_t kEmpty = static_cast<std::size_t>(-1);
    struct Slot {
        std::size_t hash = 0;
        std::size_t entry = kEmpty;  // index into entries_
    };
    struct Entry {
        std::size_t offset = 0;  // of the id in arena_
        std::size_t length = 0;
        FirstUse where;
    };
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.entry == kEmpty) {
                continue;
            }
            std::size_t i = s.hash & mask;
            while (slots_[i].entry != kEmpty) {
                i = (i + 1) & mask;
            }
            slots_[i] = s;
        }
    }
    std::vector<Slot> slots_;
    std::vector<Entry> entries_;
    std::string arena_;
};

}  // namespace flopledger::inline v1::detail
