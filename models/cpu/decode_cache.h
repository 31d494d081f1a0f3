// The decoded-instruction cache: instructions are decoded once per physical
// address and kept until the code is written or invalidated.
//
// Pages are keyed by physical address and shared by all cores, or, with a
// cache model, kept per core ("views"): each core then decodes what its own
// L1I holds, which may differ between cores until IC maintenance. A page is
// never freed while the simulation runs, only reset to "not decoded", so a
// core may keep a pointer to the page it is executing from.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "timing.h"

namespace hvsim::cpu {

class Core;
// Runs one instruction (a thunk, decoder.h); UNDEF is taken inside.
using Handler = void (*)(Core&, uint32_t);

// Decodes the instruction at the current PC, patches the entry and runs it.
void decode_and_execute(Core& core, uint32_t unused);

struct DecodedInsn {
    Handler fn = &decode_and_execute;
    uint32_t insn = 0;
    CostClass cost = CostClass::Alu;
};

struct DecodedPage {
    static constexpr unsigned kEntries = 1024;  // 4 KiB of A64 code
    uint64_t pa = 0;
    std::array<DecodedInsn, kEntries> e;
    void reset() { e.fill(DecodedInsn{}); }
};

class DecodeCache {
public:
    explicit DecodeCache(unsigned views = 1) : views_(views ? views : 1), recent_(views_.size()) {}
    void set_views(unsigned n) {
        views_.resize(n ? n : 1);
        recent_.resize(views_.size());
    }
    DecodedPage* page(uint64_t page_pa) { return page(0, page_pa); }
    DecodedPage* page(unsigned view, uint64_t page_pa) {
        // Pages are never freed, so a direct-mapped memo of recent lookups
        // stays valid; it spares the hash lookup on most page changes.
        Recent& r = recent_[view][(page_pa >> 12) % kRecent];
        if (r.pa == page_pa) return r.page;
        auto& slot = views_[view][page_pa];
        if (!slot) {
            slot = std::make_unique<DecodedPage>();
            slot->pa = page_pa;
            filter_[filter_index(page_pa)] = 1;
            for (auto& l : listeners_) l(page_pa);
        }
        r = Recent{page_pa, slot.get()};
        return slot.get();
    }
    // Cheap pre-check for stores: false means "certainly holds no code".
    bool may_hold_code(uint64_t page_pa) const { return filter_[filter_index(page_pa)] != 0; }
    // A store touched [pa, pa+size): forget decodes of that code.
    void on_write(uint64_t pa, unsigned size) {
        for (uint64_t p = pa & ~0xFFFull; p < pa + size; p += 0x1000) {
            if (!may_hold_code(p)) continue;
            for (auto& pages : views_) {
                auto it = pages.find(p);
                if (it != pages.end()) {
                    it->second->reset();
                    ++invalidations_;
                }
            }
        }
    }
    void invalidate_all() {
        for (auto& pages : views_)
            for (auto& [pa, p] : pages) p->reset();
        ++invalidations_;
    }
    // A view's copy of [pa, pa+bytes) (one cache line) changed.
    void invalidate_line(unsigned view, uint64_t pa, unsigned bytes) {
        auto it = views_[view].find(pa & ~0xFFFull);
        if (it == views_[view].end()) return;
        for (uint64_t a = pa; a < pa + bytes; a += 4) it->second->e[(a & 0xFFF) >> 2] = DecodedInsn{};
    }
    // Called with the page address when a page first holds decoded code, so
    // that cores drop fast write paths to it.
    void add_listener(std::function<void(uint64_t)> fn) { listeners_.push_back(std::move(fn)); }
    uint64_t invalidations() const { return invalidations_; }

private:
    static unsigned filter_index(uint64_t page_pa) { return (page_pa >> 12) & (kFilter - 1); }
    static constexpr unsigned kFilter = 1u << 16;
    std::vector<std::unordered_map<uint64_t, std::unique_ptr<DecodedPage>>> views_;
    struct Recent {
        uint64_t pa = ~0ull;
        DecodedPage* page = nullptr;
    };
    static constexpr unsigned kRecent = 64;
    std::vector<std::array<Recent, kRecent>> recent_;
    std::vector<uint8_t> filter_ = std::vector<uint8_t>(kFilter, 0);
    std::vector<std::function<void(uint64_t)>> listeners_;
    uint64_t invalidations_ = 0;
};

}  // namespace hvsim::cpu
