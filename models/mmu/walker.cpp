// The VMSAv8-64 translation table walker (walker.h; what is covered and the
// CONSTRAINED UNPREDICTABLE choices are in walker.md).
//
// Rules cite the Arm ARM (DDI 0487) chapter D8 and the ARMv8.0 reading of its
// pseudocode: AArch64.TranslationTableWalk (the walk), AArch64.FirstStageTranslate
// and AArch64.SecondStageTranslate (stage enables, S1PTW), AArch64.TranslateAddressS1Off
// (stage 1 disabled), AArch64.CheckPermission and AArch64.CheckS2Permission,
// S1AttrDecode, S2AttrDecode, CombineS1S2Desc and MemAttrDefaults (attributes).
#include "models/mmu/walker.h"

#include <algorithm>
#include <array>

namespace hvsim::mmu {
namespace {

// ---- bit fields ---------------------------------------------------------------

constexpr uint64_t low_mask(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }
constexpr uint64_t field(uint64_t x, unsigned lo, unsigned width) { return (x >> lo) & low_mask(width); }
constexpr bool bit(uint64_t x, unsigned n) { return (x >> n) & 1; }

// Output addresses in TTBRs and descriptors are bits [47:0] (no 52-bit PA).
constexpr uint64_t kAddrMask = low_mask(48);
// ARMv8.0 TxSZ range 16..39 for every granule (D8.2 "Translation table walks").
constexpr unsigned kMinInputBits = 25, kMaxInputBits = 48;

// HCR_EL2 and SCTLR_ELx bits.
constexpr unsigned kHcrVm = 0, kHcrPtw = 2, kHcrDc = 12, kHcrTge = 27, kHcrCd = 32, kHcrId = 33;
constexpr unsigned kSctlrM = 0, kSctlrC = 2, kSctlrI = 12, kSctlrWxn = 19;

// Descriptor bits (D8.3 "Translation table descriptor formats").
constexpr unsigned kAp1 = 6, kAp2 = 7, kAf = 10, kNg = 11, kPxn = 53, kXn = 54;  // kXn is UXN with EL0
constexpr unsigned kS2apRead = 6, kS2apWrite = 7;
// Table descriptor bits [63:59] (PXNTable, XNTable/UXNTable, APTable[1:0],
// NSTable) kept as bits [4:0] of Leaf::table_attrs.
constexpr unsigned kPxnTable = 0, kXnTable = 1, kApTable0 = 2, kApTable1 = 3;

bool has_two_ranges(Regime r) { return r == Regime::EL10 || r == Regime::EL20; }

// TCR_ELx.{IPS,PS} / VTCR_EL2.PS as bits. 0b110 (52 bits, ARMv8.2-LPA) and the
// reserved 0b111 are taken as 48 bits; a size above PARange behaves as PARange.
unsigned pa_size_bits(unsigned ps, unsigned pa_bits) {
    static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48};
    return std::min(ps < 6 ? kBits[ps] : 48u, pa_bits);
}

// Granule log2 from TG0 (0b00 4KB, 0b01 64KB, 0b10 16KB) or TG1 (0b01 16KB,
// 0b10 4KB, 0b11 64KB): the encodings differ. The reserved encoding (TG0
// 0b11, TG1 0b00) behaves as an IMPLEMENTATION DEFINED implemented size: 4KB.
unsigned tg0_granule(unsigned tg0) { return tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12; }
unsigned tg1_granule(unsigned tg1) { return tg1 == 3 ? 16 : tg1 == 1 ? 14 : 12; }

// The first level with block descriptors: 4KB level 1, 16KB and 64KB level 2
// (64KB level 1 blocks need 52-bit PAs).
int first_block_level(unsigned granule) { return granule == 12 ? 1 : 2; }

// ---- memory attributes ----------------------------------------------------------

// A 4-bit MAIR cacheability field, not 0b0000: 0b00RW (RW != 00) Write-Through
// transient, 0b0100 Non-cacheable, 0b01RW Write-Back transient, 0b10RW
// Write-Through, 0b11RW Write-Back (MAIR_ELx; LongConvertAttrsHints).
CacheAttrs mair_cache(unsigned nibble) {
    CacheAttrs c;
    if (nibble == 0b0100) return c;
    c.type = bit(nibble, 2) ? Cacheability::WriteBack : Cacheability::WriteThrough;
    c.transient = !bit(nibble, 3);
    c.read_alloc = bit(nibble, 1);
    c.write_alloc = bit(nibble, 0);
    return c;
}

// SH[1:0]: 0b00 Non-shareable, 0b10 Outer, 0b11 Inner; the reserved 0b01 is
// CONSTRAINED UNPREDICTABLE (one of the others): taken as Outer Shareable.
Shareability decode_sh(unsigned sh) {
    return sh == 0 ? Shareability::NonShareable : sh == 3 ? Shareability::Inner : Shareability::Outer;
}

// MemAttrDefaults: Device and Normal Inner-and-Outer Non-cacheable memory are
// Outer Shareable; then the summary fields.
MemAttrs finish(MemAttrs a) {
    if (a.device) {
        a.inner = a.outer = CacheAttrs{};
        a.sh = Shareability::Outer;
    } else {
        if (a.inner.type == Cacheability::NonCacheable) a.inner = CacheAttrs{};
        if (a.outer.type == Cacheability::NonCacheable) a.outer = CacheAttrs{};
        if (a.inner.type == Cacheability::NonCacheable && a.outer.type == Cacheability::NonCacheable)
            a.sh = Shareability::Outer;
    }
    a.cacheable = !a.device && a.inner.type != Cacheability::NonCacheable;
    a.shareable = a.sh != Shareability::NonShareable;
    return a;
}

MemAttrs device_attrs(DeviceType type) {
    MemAttrs a;
    a.device = true;
    a.device_type = type;
    return finish(a);
}

MemAttrs normal_attrs(CacheAttrs inner, CacheAttrs outer, Shareability sh) {
    MemAttrs a;
    a.inner = inner;
    a.outer = outer;
    a.sh = sh;
    return finish(a);
}

// Stage-1 attributes from the MAIR byte (S1AttrDecode). `cache_disabled`:
// SCTLR_ELx.C = 0 (data) or I = 0 (fetch) makes Normal memory Non-cacheable.
// Reserved MAIR encodings map to an allocated value: 0b0000ddxx (xx != 00) to
// Device-dd, 0booo0000 (ooo != 0) to Inner Non-cacheable.
MemAttrs decode_s1_attrs(uint8_t attr, Shareability sh, bool cache_disabled) {
    const unsigned outer = attr >> 4, inner = attr & 0xF;
    if (outer == 0) return device_attrs(DeviceType(inner >> 2));
    if (cache_disabled) return normal_attrs({}, {}, sh);
    return normal_attrs(inner ? mair_cache(inner) : CacheAttrs{}, mair_cache(outer), sh);
}

// decode_s1_attrs() is a function of 10 bits, evaluated twice a walk:
// tabulated once for all of them.
const MemAttrs& s1_attrs(uint8_t attr, Shareability sh, bool cache_disabled) {
    static const std::array<MemAttrs, 256 * 3 * 2> table = [] {
        std::array<MemAttrs, 256 * 3 * 2> t{};
        for (unsigned a = 0; a < 256; ++a)
            for (unsigned s = 0; s < 3; ++s)
                for (unsigned c = 0; c < 2; ++c) t[(a * 3 + s) * 2 + c] = decode_s1_attrs(uint8_t(a), Shareability(s), c);
        return t;
    }();
    return table[(unsigned(attr) * 3 + unsigned(sh)) * 2 + unsigned(cache_disabled)];
}

// Stage-2 attributes from MemAttr[3:0] (S2AttrDecode): [3:2] = 0b00 is Device
// with type [1:0]; otherwise Normal with outer [3:2] and inner [1:0], each
// 0b01 Non-cacheable, 0b10 Write-Through, 0b11 Write-Back (inner 0b00 is
// reserved: taken as Non-cacheable). HCR_EL2.CD/ID (`cache_disabled`) make
// Normal memory Non-cacheable. Stage 2 has no allocation hints.
MemAttrs s2_attrs(unsigned memattr, Shareability sh, bool cache_disabled) {
    if ((memattr >> 2) == 0) return device_attrs(DeviceType(memattr & 3));
    auto cache = [&](unsigned f) {
        CacheAttrs c;
        if (!cache_disabled && f >= 2) c.type = f == 3 ? Cacheability::WriteBack : Cacheability::WriteThrough;
        return c;
    };
    return normal_attrs(cache(memattr & 3), cache(memattr >> 2), sh);
}

// CombineS1S2Desc (ARMv8.0, no FWB): Device if either stage is Device, with
// the more restrictive type; otherwise the weaker cacheability per level,
// the stage-1 allocation hints, and the wider shareability.
MemAttrs combine(const MemAttrs& s1, const MemAttrs& s2) {
    if (s1.device || s2.device) {
        const DeviceType type = !s1.device   ? s2.device_type
                                : !s2.device ? s1.device_type
                                             : std::min(s1.device_type, s2.device_type);
        return device_attrs(type);
    }
    CacheAttrs inner = s1.inner, outer = s1.outer;
    inner.type = std::min(s1.inner.type, s2.inner.type);
    outer.type = std::min(s1.outer.type, s2.outer.type);
    return normal_attrs(inner, outer, std::max(s1.sh, s2.sh));
}

// An instruction fetch from Device memory is CONSTRAINED UNPREDICTABLE
// (Permission fault, or the fetch behaves as Normal Non-cacheable;
// AArch64.InstructionDevice): the second.
MemAttrs fetch_view(const MemAttrs& a) { return a.device ? normal_attrs({}, {}, Shareability::Outer) : a; }

// ---- permissions ------------------------------------------------------------------

// Stage-1 permissions of a leaf and its tables (AArch64.CheckPermission; D8.4
// "Memory access control"). APTable[1] removes write access, APTable[0] EL0
// access; XNTable/UXNTable and PXNTable add execute-never.
Permissions s1_permissions(uint64_t d, unsigned table, bool two_ranges, bool wxn) {
    Permissions p;
    const bool read_only = bit(d, kAp2) || bit(table, kApTable1);
    const bool xn = bit(d, kXn) || bit(table, kXnTable);
    p.el1_r = true;
    p.el1_w = !read_only;
    if (!two_ranges) {
        // EL2 and EL3 have one privilege level: AP[1] is ignored (RES1), and so
        // are PXN, PXNTable and APTable[0] (RES0).
        p.el0_r = p.el0_w = p.el0_x = false;
        p.el1_x = !(xn || (p.el1_w && wxn));
        return p;
    }
    const bool el0_access = bit(d, kAp1) && !bit(table, kApTable0);
    const bool pxn = bit(d, kPxn) || bit(table, kPxnTable);
    p.el0_r = el0_access;
    p.el0_w = el0_access && !read_only;
    p.el0_x = !(xn || (p.el0_w && wxn));
    // Memory writable at EL0 is never executable at EL1 or EL2 (privileged
    // execute-never of AArch64.CheckPermission).
    p.el1_x = !(pxn || (p.el1_w && wxn) || p.el0_w);
    return p;
}

bool allowed(AccessType type, bool r, bool w, bool x) {
    return type == AccessType::Fetch ? x : type == AccessType::Write ? w : r;
}

// ---- the walker ---------------------------------------------------------------------

// One stage's walk, decoded from the registers.
struct StageWalk {
    bool stage2 = false;
    bool s1ptw = false;      // stage 2 of a stage-1 table address
    uint64_t ia = 0;         // input address (VA with the tag removed, or IPA)
    unsigned granule = 12;   // log2 of the granule
    unsigned ia_bits = 48;   // input address size
    int start_level = 0;
    unsigned oa_bits = 48;   // output address size
    uint64_t base = 0;       // start table address (an IPA for stage 1 under stage 2)
    uint64_t ctx = 0;        // walk-cache context
    bool cacheable = false;  // the walk's own reads are Inner cacheable
    unsigned shift(int level) const { return level_shift(granule, level); }
    uint64_t region(int level) const { return ia & ~low_mask(shift(level)); }
};

// The block or page descriptor a walk ends at.
struct Leaf {
    uint64_t desc = 0;
    int level = 0;
    unsigned size_log2 = 12;
    uint64_t oa = 0;          // output address of the input address
    unsigned table_attrs = 0; // OR of the stage-1 table descriptors' bits [63:59]
};

struct S1Result {
    uint64_t va = 0, ipa = 0;  // exact, tag removed
    unsigned size_log2 = 12;
    int level = 3;
    bool global = true;
    uint16_t asid = 0;
    Permissions perms;
    MemAttrs data, fetch;
    uint8_t mair_attr = 0;
};

struct S2Result {
    uint64_t pa = 0;  // exact
    unsigned size_log2 = 12;
    int level = 3;
    bool r = true, w = true, x = true;
    bool device = false;  // MemAttr says Device (before HCR_EL2.CD/ID)
    MemAttrs data, fetch;
};

// The stage-1 registers of one VA range.
struct S1Range {
    unsigned tsz = 0, granule = 12, ps = 0;
    unsigned irgn = 0;  // walk inner cacheability: 0 Non-cacheable, 1 WB, 2 WT, 3 WB
    bool epd = false, tbi = false;
    uint64_t ttbr = 0;
};

// TCR_EL1 layout for EL1&0 and EL2&0 (TCR_EL2 with E2H = 1), TCR_EL2/TCR_EL3
// layout for EL2 and EL3 (one range: no T1SZ, EPDn, A1, AS).
S1Range s1_range(const TranslationRegs& r, bool upper) {
    S1Range rg;
    const uint64_t tcr = r.tcr;
    if (has_two_ranges(r.regime)) {
        rg.tsz = unsigned(field(tcr, upper ? 16 : 0, 6));
        rg.granule = upper ? tg1_granule(unsigned(field(tcr, 30, 2))) : tg0_granule(unsigned(field(tcr, 14, 2)));
        rg.epd = bit(tcr, upper ? 23 : 7);
        rg.tbi = bit(tcr, upper ? 38 : 37);
        rg.ps = unsigned(field(tcr, 32, 3));  // IPS
        rg.irgn = unsigned(field(tcr, upper ? 24 : 8, 2));
        rg.ttbr = upper ? r.ttbr1 : r.ttbr0;
    } else {
        rg.tsz = unsigned(field(tcr, 0, 6));
        rg.granule = tg0_granule(unsigned(field(tcr, 14, 2)));
        rg.tbi = bit(tcr, 20);
        rg.ps = unsigned(field(tcr, 16, 3));  // PS
        rg.irgn = unsigned(field(tcr, 8, 2));
        rg.ttbr = r.ttbr0;
    }
    return rg;
}

class Walker {
public:
    Walker(const TranslationRegs& regs, AccessType type, DescriptorReader& mem, WalkCache* cache, WalkResult& out)
        : regs_(regs), type_(type), mem_(mem), cache_(cache), out_(out) {
        const bool el10 = regs.regime == Regime::EL10;
        const uint64_t hcr = el10 ? regs.hcr : 0;
        // HCR_EL2.DC makes HCR_EL2.VM behave as 1 (AArch64.SecondStageTranslate);
        // DC and TGE disable EL1&0 stage 1 (AArch64.FirstStageTranslate).
        s2_on_ = bit(hcr, kHcrVm) || bit(hcr, kHcrDc);
        s1_on_ = bit(regs.sctlr, kSctlrM) && !bit(hcr, kHcrDc) && !bit(hcr, kHcrTge);
        vmid_ = el10 ? uint16_t(field(regs.vttbr, 48, 8)) : 0;
        pa_bits_ = std::clamp(regs.pa_bits, 32u, 48u);
    }

    void run(uint64_t va);

private:
    bool stage1(uint64_t va, S1Result& s1);
    bool stage1_off(uint64_t va, S1Result& s1);
    bool setup_stage1(uint64_t va, StageWalk& w, bool& upper);
    bool setup_stage2(uint64_t ipa, bool s1ptw, StageWalk& w);
    bool stage2(uint64_t ipa, bool s1ptw, S2Result& s2);
    bool walk_tables(const StageWalk& w, Leaf& leaf);
    bool load_descriptor(const StageWalk& w, int level, uint64_t addr, uint64_t& desc, bool& cached);
    bool read(const StageWalk& w, int level, uint64_t pa, uint64_t& desc);
    bool fault(FaultType type, int level, const StageWalk& w);
    unsigned address_top(bool tbi) const { return tbi && type_ != AccessType::Fetch ? 55 : 63; }

    const TranslationRegs& regs_;
    AccessType type_;
    DescriptorReader& mem_;
    WalkCache* cache_;
    WalkResult& out_;
    bool s1_on_ = false, s2_on_ = false;
    uint16_t vmid_ = 0;
    unsigned pa_bits_ = 48;  // PARange, 32..48
};

bool Walker::fault(FaultType type, int level, const StageWalk& w) {
    Fault& f = out_.fault;
    f = Fault{};
    f.type = type;
    f.level = int8_t(level);
    f.stage2 = w.stage2;
    f.s1ptw = w.s1ptw;
    f.ipa = w.stage2 ? w.ia : 0;
    return false;
}

// ---- stage 1 ----

// Decodes the stage-1 walk of `va` (AArch64.TranslationTableWalk, first stage).
bool Walker::setup_stage1(uint64_t va, StageWalk& w, bool& upper) {
    // VA[55] selects the TTBR1 range in the regimes that have one.
    upper = has_two_ranges(regs_.regime) && bit(va, 55);
    const S1Range rg = s1_range(regs_, upper);
    w.granule = rg.granule;
    w.ia_bits = 64 - rg.tsz;
    // Translation fault at level 0 for: TxSZ out of range (CONSTRAINED
    // UNPREDICTABLE: we fault rather than clamp), a VA outside the range (bits
    // [top:inputsize] not all 0, or all 1 for TTBR1; top is 55 with TBI),
    // and a walk disabled by TCR.EPDn.
    if (w.ia_bits < kMinInputBits || w.ia_bits > kMaxInputBits) return fault(FaultType::Translation, 0, w);
    const unsigned top = address_top(rg.tbi);
    const uint64_t high = field(va, w.ia_bits, top + 1 - w.ia_bits);
    if (high != (upper ? low_mask(top + 1 - w.ia_bits) : 0) || rg.epd) return fault(FaultType::Translation, 0, w);
    w.ia = upper ? va | ~low_mask(w.ia_bits) : va & low_mask(w.ia_bits);

    // Start level: enough levels to resolve inputsize - granule bits, stride
    // (granule - 3) bits a level: 4 - ceil((inputsize - granule) / stride).
    const unsigned stride = w.granule - 3;
    w.start_level = 4 - int(1 + (w.ia_bits - w.granule - 1) / stride);
    w.oa_bits = pa_size_bits(rg.ps, pa_bits_);
    // TTBR address bits above the output size: Address size fault, level 0.
    if ((rg.ttbr & kAddrMask) >> w.oa_bits) return fault(FaultType::AddressSize, 0, w);
    // The start table is aligned to its size; BADDR bits below are RES0 and
    // taken as 0 (as is CnP, bit 0).
    w.base = rg.ttbr & kAddrMask & ~low_mask(3 + w.ia_bits - w.shift(w.start_level));
    w.ctx = make_walk_ctx(w.base, vmid_, regs_.regime, w.granule, upper);
    // Walks use TCR_ELx.IRGNn, and are Non-cacheable with SCTLR_ELx.C = 0
    // (Arm ARM D8.2.7); HCR_EL2.CD does the same for the EL1&0 regime.
    w.cacheable = rg.irgn != 0 && bit(regs_.sctlr, kSctlrC) && !(regs_.regime == Regime::EL10 && bit(regs_.hcr, kHcrCd));
    return true;
}

bool Walker::stage1(uint64_t va, S1Result& s1) {
    StageWalk w;
    bool upper = false;
    Leaf leaf;
    if (!setup_stage1(va, w, upper) || !walk_tables(w, leaf)) return false;
    const uint64_t d = leaf.desc;
    const bool two = has_two_ranges(regs_.regime);
    s1.va = w.ia;
    s1.ipa = leaf.oa;
    s1.size_log2 = leaf.size_log2;
    s1.level = leaf.level;
    // nG and ASIDs exist only in the regimes with two VA ranges. The ASID is
    // that of TTBR1 when TCR.A1 = 1, else of TTBR0; 8 bits unless TCR.AS.
    s1.global = !(two && bit(d, kNg));
    if (two) {
        const uint64_t asid_ttbr = bit(regs_.tcr, 22) ? regs_.ttbr1 : regs_.ttbr0;
        s1.asid = uint16_t(field(asid_ttbr, 48, bit(regs_.tcr, 36) ? 16 : 8));
    }
    s1.perms = s1_permissions(d, leaf.table_attrs, two, bit(regs_.sctlr, kSctlrWxn));
    s1.mair_attr = uint8_t(regs_.mair >> (8 * field(d, 2, 3)));  // AttrIndx
    const Shareability sh = decode_sh(unsigned(field(d, 8, 2)));
    s1.data = s1_attrs(s1.mair_attr, sh, !bit(regs_.sctlr, kSctlrC));
    s1.fetch = s1_attrs(s1.mair_attr, sh, !bit(regs_.sctlr, kSctlrI));
    return true;
}

// Stage 1 disabled (AArch64.TranslateAddressS1Off): a flat mapping. A VA
// with bits [top:PAMax] not zero (top is 55 with TBI) gives an Address size
// fault at level 0. Data accesses are Device-nGnRnE and fetches Normal
// (Write-Through if SCTLR.I, else Non-cacheable), Outer Shareable; with
// HCR_EL2.DC both are Normal Write-Back Non-shareable.
bool Walker::stage1_off(uint64_t va, S1Result& s1) {
    const bool upper = has_two_ranges(regs_.regime) && bit(va, 55);
    const unsigned top = address_top(s1_range(regs_, upper).tbi);
    const unsigned pa_bits = pa_bits_;
    if (field(va, pa_bits, top + 1 - pa_bits) != 0) return fault(FaultType::AddressSize, 0, StageWalk{});
    s1.va = s1.ipa = va & low_mask(pa_bits);
    if (regs_.regime == Regime::EL10 && bit(regs_.hcr, kHcrDc)) {
        const CacheAttrs wb{Cacheability::WriteBack, true, true, false};
        s1.data = s1.fetch = normal_attrs(wb, wb, Shareability::NonShareable);
        s1.mair_attr = 0xFF;
    } else {
        s1.data = device_attrs(DeviceType::nGnRnE);
        CacheAttrs wt;
        if (bit(regs_.sctlr, kSctlrI)) wt = CacheAttrs{Cacheability::WriteThrough, true, false, false};
        s1.fetch = normal_attrs(wt, wt, Shareability::Outer);
        s1.mair_attr = 0x00;
    }
    return true;
}

// ---- stage 2 ----

// VTCR_EL2.{T0SZ, SL0, TG0} describe a usable start table: TxSZ in range, an
// IPA size not above PAMax (CONSTRAINED UNPREDICTABLE: we fault), a start
// level the granule and PAMax allow, and 2 to 16 x 2^stride entries (up to 16
// concatenated tables). AArch64.TranslationTableWalk, second stage.
bool stage2_start_valid(unsigned granule, unsigned ia_bits, int level, unsigned pa_bits) {
    if (ia_bits < kMinInputBits || ia_bits > kMaxInputBits || ia_bits > pa_bits) return false;
    if (level < 0) return false;                                     // 4KB SL0 = 0b11
    if (level == 0 && (granule != 12 || pa_bits <= 42)) return false;  // 4KB only, PAMax > 42
    if (level == 1 && granule == 14 && pa_bits <= 40) return false;
    if (level == 1 && granule == 16 && pa_bits <= 42) return false;
    const int start_bits = int(ia_bits) - int(level_shift(granule, level));
    return start_bits >= 1 && start_bits <= int(granule - 3) + 4;
}

bool Walker::setup_stage2(uint64_t ipa, bool s1ptw, StageWalk& w) {
    const uint64_t vtcr = regs_.vtcr;
    w.stage2 = true;
    w.s1ptw = s1ptw;
    w.ia = ipa;
    w.granule = tg0_granule(unsigned(field(vtcr, 14, 2)));
    w.ia_bits = 64 - unsigned(field(vtcr, 0, 6));
    // SL0 counts levels up from level 2 (4KB) or level 3 (16KB, 64KB).
    const int level = (w.granule == 12 ? 2 : 3) - int(field(vtcr, 6, 2));
    if (!stage2_start_valid(w.granule, w.ia_bits, level, pa_bits_) || (ipa >> w.ia_bits) != 0)
        return fault(FaultType::Translation, 0, w);
    w.start_level = level;
    w.oa_bits = pa_size_bits(unsigned(field(vtcr, 16, 3)), pa_bits_);
    if ((regs_.vttbr & kAddrMask) >> w.oa_bits) return fault(FaultType::AddressSize, 0, w);
    w.base = regs_.vttbr & kAddrMask & ~low_mask(3 + w.ia_bits - w.shift(level));
    w.ctx = make_walk_ctx(w.base, vmid_, Regime::EL10, w.granule, false);
    w.cacheable = field(vtcr, 8, 2) != 0 && !bit(regs_.hcr, kHcrCd);  // VTCR_EL2.IRGN0
    return true;
}

bool Walker::stage2(uint64_t ipa, bool s1ptw, S2Result& s2) {
    StageWalk w;
    Leaf leaf;
    if (!setup_stage2(ipa, s1ptw, w) || !walk_tables(w, leaf)) return false;
    const uint64_t d = leaf.desc;
    s2.pa = leaf.oa;
    s2.size_log2 = leaf.size_log2;
    s2.level = leaf.level;
    s2.r = bit(d, kS2apRead);
    s2.w = bit(d, kS2apWrite);
    s2.x = !bit(d, kXn);
    const unsigned memattr = unsigned(field(d, 2, 4));
    const Shareability sh = decode_sh(unsigned(field(d, 8, 2)));
    s2.device = (memattr >> 2) == 0;
    s2.data = s2_attrs(memattr, sh, bit(regs_.hcr, kHcrCd));
    s2.fetch = s2_attrs(memattr, sh, bit(regs_.hcr, kHcrId));
    if (s1ptw) {
        // A stage-1 walk reads its tables whatever the access: it needs stage-2
        // read permission (AArch64.CheckS2Permission with s2fs1walk).
        if (!s2.r) return fault(FaultType::Permission, leaf.level, w);
        // HCR_EL2.PTW: a stage-1 table in stage-2 Device memory is a stage-2
        // Permission fault (AArch64.SecondStageTranslate); with PTW = 0 the
        // walk reads it as Normal Non-cacheable.
        if (s2.device && bit(regs_.hcr, kHcrPtw)) return fault(FaultType::Permission, leaf.level, w);
    }
    return true;
}

// ---- the table walk shared by both stages ----

bool Walker::read(const StageWalk& w, int level, uint64_t pa, uint64_t& desc) {
    WalkRecord& rec = out_.record;
    if (rec.nreads < WalkRecord::kMaxReads) rec.read_pa[rec.nreads++] = pa;
    ++rec.accesses;
    if (mem_.read_descriptor(pa, desc, w.cacheable)) return true;
    fault(FaultType::SyncExternal, level, w);
    out_.fault.on_table_walk = true;
    return false;
}

// The descriptor at `addr` for `level`: from the walk cache, or read from
// memory, through stage 2 when `addr` is a stage-1 table IPA.
bool Walker::load_descriptor(const StageWalk& w, int level, uint64_t addr, uint64_t& desc, bool& cached) {
    cached = false;
    if (cache_ && level < 3 && cache_->lookup(w.stage2, w.ctx, w.region(level), level, desc)) {
        ++out_.record.walk_cache_hits;
        cached = true;
        return true;
    }
    uint64_t pa = addr;
    if (!w.stage2 && s2_on_) {
        S2Result s2;
        if (!stage2(addr, true, s2)) return false;
        pa = s2.pa;
    }
    return read(w, level, pa, desc);
}

// From the start table down to a block or page descriptor.
bool Walker::walk_tables(const StageWalk& w, Leaf& leaf) {
    uint64_t table = w.base;
    unsigned top = w.ia_bits;  // the index at `level` is ia[top-1 : shift(level)]
    unsigned table_attrs = 0;
    for (int level = w.start_level;; ++level) {
        const unsigned shift = w.shift(level);
        const uint64_t addr = table | (field(w.ia, shift, top - shift) << 3);
        uint64_t d = 0;
        bool cached = false;
        if (!load_descriptor(w, level, addr, d, cached)) return false;
        ++(w.stage2 ? out_.record.s2_levels : out_.record.s1_levels);

        // Invalid (bit 0 = 0), or the reserved block encoding at level 3.
        if (!bit(d, 0) || (level == 3 && !bit(d, 1))) return fault(FaultType::Translation, level, w);
        if (level < 3 && bit(d, 1)) {  // table descriptor
            const uint64_t next = d & kAddrMask & ~low_mask(w.granule);
            if (next >> w.oa_bits) return fault(FaultType::AddressSize, level, w);
            if (cache_ && !cached) cache_->fill(w.stage2, w.ctx, w.region(level), level, d);
            // Stage-2 table descriptors have no attributes (bits [63:59] RES0).
            if (!w.stage2) table_attrs |= unsigned(d >> 59);
            table = next;
            top = shift;
            continue;
        }
        // Block (levels 0-2) or page (level 3). The contiguous bit is only a
        // TLB hint; its misprogramming is not checked (IMPLEMENTATION DEFINED).
        if (level < first_block_level(w.granule)) return fault(FaultType::Translation, level, w);
        const uint64_t oa = d & kAddrMask & ~low_mask(shift);
        if (oa >> w.oa_bits) return fault(FaultType::AddressSize, level, w);
        // No hardware Access flag management in ARMv8.0: AF = 0 faults.
        if (!bit(d, kAf)) return fault(FaultType::AccessFlag, level, w);
        leaf.desc = d;
        leaf.level = level;
        leaf.size_log2 = shift;
        leaf.oa = oa | (w.ia & low_mask(shift));
        leaf.table_attrs = table_attrs;
        return true;
    }
}

// ---- both stages ----

void Walker::run(uint64_t va) {
    S1Result s1;
    if (!(s1_on_ ? stage1(va, s1) : stage1_off(va, s1))) return;

    Translation& t = out_.t;
    t.s1_enabled = s1_on_;
    t.level = int8_t(s1.level);
    t.global = s1.global;
    t.asid = s1.asid;
    t.vmid = vmid_;
    t.perms = s1.perms;
    t.mair_attr = s1.mair_attr;
    t.attrs = s1.data;
    t.fetch_attrs = fetch_view(s1.fetch);
    t.s1_size_log2 = t.size_log2 = uint8_t(s1.size_log2);
    t.va = s1.va & ~low_mask(s1.size_log2);
    t.ipa = t.pa = s1.ipa & ~low_mask(s1.size_log2);
    out_.s1_complete = true;
    if (!s2_on_) return;

    S2Result s2;
    if (!stage2(s1.ipa, false, s2)) return;
    // With stage 1 off the entry is as large as the stage-2 block.
    const unsigned s1_size = s1_on_ ? s1.size_log2 : s2.size_log2;
    const unsigned size = std::min(s1_size, s2.size_log2);
    if (!s1_on_) t.level = int8_t(s2.level);
    t.s2_enabled = true;
    t.s2_level = int8_t(s2.level);
    t.s1_size_log2 = uint8_t(s1_size);
    t.s2_size_log2 = uint8_t(s2.size_log2);
    t.size_log2 = uint8_t(size);
    t.va = s1.va & ~low_mask(size);
    t.ipa = s1.ipa & ~low_mask(s1_size);
    t.pa = s2.pa & ~low_mask(size);
    t.perms.s2_r = s2.r;
    t.perms.s2_w = s2.w;
    t.perms.s2_x = s2.x;
    t.attrs = combine(s1.data, s2.data);
    t.fetch_attrs = fetch_view(combine(s1.fetch, s2.fetch));
}

}  // namespace

WalkResult walk(const TranslationRegs& regs, uint64_t va, AccessType type, DescriptorReader& mem,
                WalkCache* cache) {
    WalkResult out;
    Walker(regs, type, mem, cache, out).run(va);
    return out;
}

Fault check_permissions(const TranslationRegs& regs, const Translation& t, AccessType type, bool el0) {
    const Permissions& p = t.perms;
    Fault f;
    // Stage 1 first (AArch64.FullTranslate), with the leaf's level.
    if (t.s1_enabled) {
        const bool user = el0 && has_two_ranges(regs.regime);
        const bool ok = user ? allowed(type, p.el0_r, p.el0_w, p.el0_x) : allowed(type, p.el1_r, p.el1_w, p.el1_x);
        if (!ok) {
            f.type = FaultType::Permission;
            f.level = t.level;
            return f;
        }
    }
    if (t.s2_enabled && !allowed(type, p.s2_r, p.s2_w, p.s2_x)) {
        f.type = FaultType::Permission;
        f.level = t.s2_level;
        f.stage2 = true;
        f.ipa = ipa_of(t, t.va);
    }
    return f;
}

WalkResult walk_and_check(const TranslationRegs& regs, uint64_t va, AccessType type, bool el0,
                          DescriptorReader& mem, WalkCache* cache) {
    WalkResult r = walk(regs, va, type, mem, cache);
    if (r.fault) {
        // A stage-2 fault on the output IPA comes after stage 1's permission check.
        if (r.s1_complete) {
            const Fault f = check_permissions(regs, r.t, type, el0);
            if (f) r.fault = f;
        }
        return r;
    }
    r.complete = true;
    r.fault = check_permissions(regs, r.t, type, el0);
    if (r.fault.stage2) r.fault.ipa = ipa_of(r.t, va);
    return r;
}

namespace {
uint8_t cache_nibble(const CacheAttrs& c) {
    if (c.type == Cacheability::NonCacheable) return 0b0100;
    return uint8_t((c.transient ? 0 : 0b1000) | (c.type == Cacheability::WriteBack ? 0b0100 : 0) |
                   (c.read_alloc ? 0b10 : 0) | (c.write_alloc ? 0b01 : 0));
}
}  // namespace

uint8_t mair_encoding(const MemAttrs& a) {
    if (a.device) return uint8_t(unsigned(a.device_type) << 2);
    return uint8_t((cache_nibble(a.outer) << 4) | cache_nibble(a.inner));
}

uint8_t sh_encoding(Shareability sh) {
    return sh == Shareability::NonShareable ? 0b00 : sh == Shareability::Inner ? 0b11 : 0b10;
}

}  // namespace hvsim::mmu
