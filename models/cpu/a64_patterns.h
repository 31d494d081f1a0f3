// The encoding patterns of the A64 table as named constants, the template
// arguments of the dispatch thunks (decoder.h), and the thunks instantiated
// next to their handlers.
//
// a64.cpp builds the table from Thunk<patterns::X, &insn::X>::call. Compiled
// there, a thunk cannot inline its handler (another translation unit): each
// instruction then costs two calls, and handlers with more than five operand
// fields get theirs on the stack. The hottest handlers' files instantiate
// their thunks themselves (HVSIM_THUNK_DEFINE, from the lists in the
// handler headers), where the handler is inlined into the thunk; a64.cpp
// declares those extern (HVSIM_THUNK_EXTERN) and only takes their address.
// The patterns are inline variables so that every file names the same
// object, hence the same thunk.
#pragma once

#include "decoder.h"

namespace hvsim::cpu::patterns {
#define INST(name, desc, bits, cost) inline constexpr char name[] = bits;
#include "a64.inc"
#undef INST
}  // namespace hvsim::cpu::patterns

#define HVSIM_THUNK(name) ::hvsim::cpu::Thunk<::hvsim::cpu::patterns::name, &::hvsim::cpu::insn::name>
#define HVSIM_THUNK_DEFINE(name) template struct HVSIM_THUNK(name);
#define HVSIM_THUNK_EXTERN(name) extern template struct HVSIM_THUNK(name);
