// A condition that stops the simulation with a one-line message and a
// non-zero exit: bad input from the user, or guest behaviour that hvsim does
// not model yet. Guest misbehaviour that the architecture defines never
// raises this: it gets the architectural response instead.
#pragma once

#include <stdexcept>
#include <string>

namespace hvsim {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace hvsim
