// Table-driven A64 decoder machinery.
//
// Every encoding is one line of models/cpu/a64.inc:
//
//   INST(ADD_imm, "ADD (immediate)", "zop100010hiiiiiiiiiiiinnnnnddddd", Alu)
//
// '0'/'1' are fixed bits, '-' is a "don't care" bit, and every other letter
// names an operand field. Fields are passed to the handler in order of first
// appearance, each as the type the handler declares (Imm<N>, Reg, Cond), and
// the widths are checked at compile time against the pattern: a table line and
// its handler cannot disagree. A handler returns false for UNDEF.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace hvsim::cpu {

// An N-bit unsigned operand field.
template <unsigned N>
struct Imm {
    static constexpr unsigned width = N;
    uint32_t v;
    constexpr uint32_t zext() const { return v; }
    constexpr int64_t sext() const {
        return static_cast<int64_t>(static_cast<uint64_t>(v) << (64 - N)) >> (64 - N);
    }
    constexpr bool bit(unsigned i) const { return (v >> i) & 1; }
    constexpr bool operator==(uint32_t o) const { return v == o; }
    constexpr bool operator!=(uint32_t o) const { return v != o; }
};

// A 5-bit register field: 31 means SP or ZR depending on the instruction.
struct Reg {
    static constexpr unsigned width = 5;
    uint32_t v;
    constexpr unsigned idx() const { return v; }
    constexpr bool is31() const { return v == 31; }
};

// A 4-bit condition field (Arm ARM C1.2.4).
struct Cond {
    static constexpr unsigned width = 4;
    uint32_t v;
};

namespace detail {

struct FieldPos {
    unsigned shift = 0;
    unsigned width = 0;
};

constexpr bool is_field_letter(char c) { return c != '0' && c != '1' && c != '-'; }

// The distinct field letters of a 32-character pattern, in order of first
// appearance (pattern[0] is bit 31).
template <const char* P>
constexpr std::array<char, 32> field_letters() {
    std::array<char, 32> out{};
    unsigned n = 0;
    for (unsigned i = 0; i < 32; ++i) {
        char c = P[i];
        if (!is_field_letter(c)) continue;
        bool seen = false;
        for (unsigned j = 0; j < n; ++j) seen = seen || out[j] == c;
        if (!seen) out[n++] = c;
    }
    return out;
}

template <const char* P>
constexpr unsigned field_count() {
    auto l = field_letters<P>();
    unsigned n = 0;
    while (n < 32 && l[n] != 0) ++n;
    return n;
}

// Position of the K-th field; fields must be contiguous (split fields such as
// ADR's immhi:immlo use two letters).
template <const char* P, unsigned K>
constexpr FieldPos field_pos() {
    char c = field_letters<P>()[K];
    int hi = -1, lo = -1;
    for (int i = 0; i < 32; ++i) {
        if (P[i] == c) {
            if (hi < 0) hi = 31 - i;
            lo = 31 - i;
        }
    }
    FieldPos f;
    f.shift = static_cast<unsigned>(lo);
    f.width = static_cast<unsigned>(hi - lo + 1);
    return f;
}

template <const char* P, unsigned K>
constexpr bool field_contiguous() {
    char c = field_letters<P>()[K];
    FieldPos f = field_pos<P, K>();
    for (unsigned b = f.shift; b < f.shift + f.width; ++b)
        if (P[31 - b] != c) return false;
    return true;
}

constexpr uint32_t pattern_mask(const char* p) {
    uint32_t m = 0;
    for (int i = 0; i < 32; ++i)
        if (p[i] == '0' || p[i] == '1') m |= 1u << (31 - i);
    return m;
}

constexpr uint32_t pattern_value(const char* p) {
    uint32_t v = 0;
    for (int i = 0; i < 32; ++i)
        if (p[i] == '1') v |= 1u << (31 - i);
    return v;
}

constexpr bool pattern_well_formed(const char* p) {
    for (int i = 0; i < 32; ++i)
        if (p[i] == 0) return false;
    return p[32] == 0;
}

template <typename T>
struct HandlerTraits;

template <typename Ctx, typename... Args>
struct HandlerTraits<bool (*)(Ctx&, Args...)> {
    using Context = Ctx;
    static constexpr unsigned arity = sizeof...(Args);
};

template <const char* P, auto Fn, typename Ctx, typename... Args, unsigned... K>
inline bool invoke(Ctx& ctx, uint32_t insn, bool (*)(Ctx&, Args...), std::integer_sequence<unsigned, K...>) {
    static_assert(((field_pos<P, K>().width == Args::width) && ...),
                  "operand type width does not match the encoding pattern");
    static_assert((field_contiguous<P, K>() && ...), "operand field is not contiguous");
    (void)insn;  // unused by encodings without operand fields
    return Fn(ctx, Args{(insn >> field_pos<P, K>().shift) & ((1u << Args::width) - 1u)}...);
}

}  // namespace detail

// Calls Fn with the operand fields of `insn` extracted per pattern P.
template <const char* P, auto Fn>
struct Thunk {
    using Traits = detail::HandlerTraits<decltype(Fn)>;
    using Context = typename Traits::Context;
    static_assert(detail::pattern_well_formed(P), "encoding pattern must have 32 characters");
    static_assert(detail::field_count<P>() == Traits::arity,
                  "handler arity does not match the number of fields in the pattern");
    // Flattened: where the handler is visible (a64_patterns.h) it is inlined
    // into its thunk, and the UNDEF check goes away for a handler that
    // cannot return false.
    [[gnu::flatten]] static void call(Context& ctx, uint32_t insn) {
        if (!detail::invoke<P, Fn>(ctx, insn, Fn, std::make_integer_sequence<unsigned, Traits::arity>{}))
            ctx.undefined();
    }
};

}  // namespace hvsim::cpu
