// The staleness checker (opt-in): reports a translation served from a TLB or
// walk-cache entry that no longer matches what the page tables in memory now
// give, once per entry, with the store that changed the table. This is how a
// hypervisor developer finds a missing TLBI.
//
// Shared by all cores of a platform. Pages that walks read descriptors from
// are watched: the cores send stores to them here (their fast store path
// excludes watched pages), so each report can name the last writer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hvsim::mmu {

class StalenessChecker {
public:
    struct Write {
        uint64_t cycles = 0;  // the writer's local time
        unsigned core = 0;
        uint64_t pc = 0;
        uint64_t value = 0;   // the 64-bit descriptor word after the store
    };

    explicit StalenessChecker(std::FILE* out = stderr) : out_(out) {}
    void set_output(std::FILE* f) { out_ = f; }

    // A walk read a descriptor at `pa`: watch its page.
    void note_table_read(uint64_t pa);
    bool watched(uint64_t page_pa) const { return pages_.count(page_pa) != 0; }
    // Called with the page address when a page becomes watched, so that
    // cores drop fast store paths to it.
    void add_listener(std::function<void(uint64_t)> fn) { listeners_.push_back(std::move(fn)); }
    // A store of [pa, pa+size) to a watched page; `words` gives the aligned
    // 64-bit words after the store, read back by the caller.
    void note_store(uint64_t pa, unsigned size, const Write& w, const std::function<uint64_t(uint64_t)>& read_word);
    const Write* last_write(uint64_t word_pa) const;

    // Reports a stale entry unless `key` was reported before. `what` is the
    // full message without the trailing newline.
    bool report(uint64_t key, const std::string& what);
    uint64_t reports() const { return reports_; }

private:
    std::FILE* out_;
    std::unordered_set<uint64_t> pages_;
    std::unordered_map<uint64_t, Write> writes_;  // by 8-byte aligned PA
    std::unordered_set<uint64_t> reported_;
    std::vector<std::function<void(uint64_t)>> listeners_;
    uint64_t reports_ = 0;
};

}  // namespace hvsim::mmu
