// A stdio stream that passes the first N lines to another stream and then
// only counts them: checker reports in a scenario run stay readable, while
// the statistics keep every count.
#pragma once

#include <cstdint>
#include <cstdio>

namespace hvsim::cli {

class LineLimit {
public:
    // `out`: where the first `max_lines` lines go (0: all of them).
    LineLimit(std::FILE* out, uint64_t max_lines);
    ~LineLimit();
    LineLimit(const LineLimit&) = delete;
    LineLimit& operator=(const LineLimit&) = delete;

    std::FILE* stream() const { return stream_; }
    // Closes the stream and says how many lines it held back.
    void finish();

private:
    static ssize_t write(void* self, const char* buf, size_t n);

    std::FILE* out_;
    uint64_t max_, lines_ = 0, dropped_ = 0;
    std::FILE* stream_ = nullptr;
};

}  // namespace hvsim::cli
