#include "line_limit.h"

#include <fmt/format.h>

namespace hvsim::cli {

LineLimit::LineLimit(std::FILE* out, uint64_t max_lines) : out_(out), max_(max_lines) {
    cookie_io_functions_t io{};
    io.write = &LineLimit::write;
    stream_ = fopencookie(this, "w", io);
    if (stream_) setvbuf(stream_, nullptr, _IOLBF, 0);
}

LineLimit::~LineLimit() { finish(); }

ssize_t LineLimit::write(void* self, const char* buf, size_t n) {
    auto* l = static_cast<LineLimit*>(self);
    for (size_t i = 0; i < n; ++i) {
        if (!l->max_ || l->lines_ < l->max_) std::fputc(buf[i], l->out_);
        if (buf[i] == '\n' && l->lines_++ >= l->max_ && l->max_) ++l->dropped_;
    }
    return static_cast<ssize_t>(n);
}

void LineLimit::finish() {
    if (!stream_) return;
    std::fclose(stream_);
    stream_ = nullptr;
    if (dropped_)
        fmt::print(out_, "hvsim: {} further checker reports not shown (--check-lines; every report is counted in the statistics)\n",
                   dropped_);
    std::fflush(out_);
}

}  // namespace hvsim::cli
