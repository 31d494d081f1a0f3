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

struct Fault {
    FaultType type = FaultType::None;
    int8_t level = 0;
    bool stage2 = false;
    bool s1ptw = false;   // stage-2 fault on a stage-1 table walk
    uint64_t ipa = 0;     // for HPFAR_EL2 on stage-2 faults
    explicit operator bool() const { return type != FaultType::None; }
};

// Final memory attributes of an access (after stage-1/stage-2 combination).
struct MemAttrs {
    bool device = false;       // any Device type: unaligned accesses fault
    bool cacheable = false;    // Normal Inner Write-Back (drives models/cache)
    bool shareable = false;
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
