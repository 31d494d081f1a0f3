// hvsim's standard input as the console UART's input source
// (dev::Pl011::set_input).
//
// A regular file, a pipe, a socket or /dev/null is read as a stream: the
// UART asks for the next byte when its receive rule says one arrives (see
// models/dev/pl011.h), and a read waits for the writer of a pipe, so the
// same input gives the same run whatever the host's timing. A terminal is
// polled without waiting (what was typed arrives at the next character
// slot) and put into raw mode (no line editing, no echo: the guest echoes)
// while hvsim runs; Ctrl-C still reaches hvsim (src/main.cpp). The end of the input, or a
// read error, ends reception.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hvsim::platform {

class ConsoleInput {
public:
    explicit ConsoleInput(int fd);
    ~ConsoleInput();
    ConsoleInput(const ConsoleInput&) = delete;
    ConsoleInput& operator=(const ConsoleInput&) = delete;

    // A byte, dev::Pl011::kNoInput (terminal: nothing typed) or kEndOfInput.
    int next();
    bool is_terminal() const { return terminal_; }
    // Puts the terminal back as it was (async-signal-safe; for a handler
    // that ends the process).
    static void restore_terminal();

private:
    int fd_;
    bool terminal_ = false, raw_ = false, ended_ = false;
    uint8_t buf_[4096];
    size_t pos_ = 0, len_ = 0;
};

}  // namespace hvsim::platform
