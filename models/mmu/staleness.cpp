#include "staleness.h"

namespace hvsim::mmu {

void StalenessChecker::note_table_read(uint64_t pa) {
    const uint64_t page = pa & ~0xFFFull;
    if (pages_.insert(page).second)
        for (auto& l : listeners_) l(page);
}

void StalenessChecker::note_store(uint64_t pa, unsigned size, const Write& w,
                                  const std::function<uint64_t(uint64_t)>& read_word) {
    for (uint64_t a = pa & ~7ull; a < pa + size; a += 8) {
        Write rec = w;
        rec.value = read_word(a);
        writes_[a] = rec;
    }
}

const StalenessChecker::Write* StalenessChecker::last_write(uint64_t word_pa) const {
    auto it = writes_.find(word_pa & ~7ull);
    return it == writes_.end() ? nullptr : &it->second;
}

bool StalenessChecker::report(uint64_t key, const std::string& what) {
    if (!reported_.insert(key).second) return false;
    ++reports_;
    std::fprintf(out_, "hvsim: stale: %s\n", what.c_str());
    std::fflush(out_);
    return true;
}

}  // namespace hvsim::mmu
