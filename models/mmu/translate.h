// The translation interface between the core and the MMU model.
//
// The core asks for a translation of every access that misses its speed cache;
// the answer is a physical address with memory attributes, or a fault record
// from which the core builds the exact abort syndrome (Arm ARM D17.2.37).
#pragma once

#include <cstdint>

namespace hvsim::mmu {

enum class AccessType : uint8_t { Read, Write, Fetch };

enum class FaultType : uint8_t {
    None,
    AddressSize,
    Translation,
    AccessFlag,
    Permission,
    Alignment,
    SyncExternal,
};

// "translation", "access flag"...: for messages.
constexpr const char* fault_type_name(FaultType t) {
    switch (t) {
    case FaultType::None: return "no";
    case FaultType::AddressSize: return "address size";
    case FaultType::Translation: return "translation";
    case FaultType::AccessFlag: return "access flag";
    case FaultType::Permission: return "permission";
    case FaultType::Alignment: return "alignment";
    case FaultType::SyncExternal: return "synchronous external abort";
    }
    return "?";
}

struct Fault {
    FaultType type = FaultType::None;
    int8_t level = 0;
    bool stage2 = false;
    bool s1ptw = false;   // stage-2 fault on a stage-1 table walk
    // SyncExternal only: the abort was on a translation table walk (DFSC
    // 0b0101LL with `level`) rather than on the access (0b010000).
    bool on_table_walk = false;
    uint64_t ipa = 0;     // for HPFAR_EL2 on stage-2 faults
    explicit operator bool() const { return type != FaultType::None; }
};

// Memory types and attributes (Arm ARM B2.7 "Memory types and attributes").
enum class DeviceType : uint8_t { nGnRnE, nGnRE, nGRE, GRE };  // most to least restrictive
enum class Cacheability : uint8_t { NonCacheable, WriteThrough, WriteBack };
enum class Shareability : uint8_t { NonShareable, Inner, Outer };

// The cacheability of one cache level group (inner or outer) of Normal memory.
struct CacheAttrs {
    Cacheability type = Cacheability::NonCacheable;
    bool read_alloc = false, write_alloc = false;  // allocation hints
    bool transient = false;
};

// Final memory attributes of an access (after stage-1/stage-2 combination).
// The first three fields summarise the others.
struct MemAttrs {
    bool device = false;       // any Device type: unaligned accesses fault
    bool cacheable = false;    // Normal, Inner Write-Back or Write-Through (drives models/cache)
    bool shareable = false;    // sh != NonShareable
    DeviceType device_type = DeviceType::nGnRnE;  // when device
    CacheAttrs inner, outer;                      // when !device
    // The walker gives Device and Normal Inner-and-Outer-Non-cacheable memory
    // Outer Shareable (Arm ARM B2.7.2 and the MemAttrDefaults() pseudocode).
    Shareability sh = Shareability::NonShareable;
};

struct Request {
    uint64_t va;
    AccessType type;
    uint8_t el;            // the EL whose translation regime applies
};

struct Result {
    uint64_t pa = 0;
    MemAttrs attrs;
    Fault fault;
};

}  // namespace hvsim::mmu
