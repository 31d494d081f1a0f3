#include "console_input.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "models/dev/pl011.h"

namespace hvsim::platform {

namespace {
// The terminal settings to restore, also from a signal handler.
struct termios g_saved;
int g_saved_fd = -1;

void restore_and_reraise(int sig) {
    ConsoleInput::restore_terminal();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
}  // namespace

void ConsoleInput::restore_terminal() {
    if (g_saved_fd >= 0) tcsetattr(g_saved_fd, TCSANOW, &g_saved);
}

ConsoleInput::ConsoleInput(int fd) : fd_(fd) {
    terminal_ = isatty(fd) != 0;
    // Only the foreground process group may change the terminal's mode.
    if (!terminal_ || tcgetpgrp(fd) != getpgrp() || tcgetattr(fd, &g_saved) != 0) return;
    struct termios raw = g_saved;
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN);
    raw.c_iflag &= ~tcflag_t(ICRNL | IXON);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &raw) != 0) return;
    g_saved_fd = fd;
    raw_ = true;
    for (int sig : {SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, restore_and_reraise);
}

ConsoleInput::~ConsoleInput() {
    if (!raw_) return;
    restore_terminal();
    g_saved_fd = -1;
}

int ConsoleInput::next() {
    if (ended_) return dev::Pl011::kEndOfInput;
    if (pos_ < len_) return buf_[pos_++];
    if (terminal_) {
        struct pollfd p = {fd_, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) return dev::Pl011::kNoInput;
    }
    for (;;) {
        const ssize_t n = read(fd_, buf_, sizeof buf_);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ended_ = true;
            return dev::Pl011::kEndOfInput;
        }
        pos_ = 1;
        len_ = size_t(n);
        return buf_[0];
    }
}

}  // namespace hvsim::platform
