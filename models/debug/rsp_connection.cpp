#include "rsp_connection.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include "models/common/error.h"

namespace hvsim::debug {

RspConnection::RspConnection(uint16_t port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw Error(fmt::format("gdb: socket: {}", std::strerror(errno)));
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from another host
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(listener_, 1) < 0) {
        const int e = errno;
        ::close(listener_);
        throw Error(fmt::format("gdb: cannot listen on 127.0.0.1:{}: {}", port, std::strerror(e)));
    }
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
}

RspConnection::~RspConnection() {
    close_client();
    if (listener_ >= 0) ::close(listener_);
}

bool RspConnection::accept(bool block) {
    if (client_ >= 0) return true;
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, block ? -1 : 0) <= 0) return false;
    client_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client_ < 0) return false;
    const int one = 1;
    ::setsockopt(client_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    in_.clear();
    return true;
}

void RspConnection::close_client() {
    if (client_ >= 0) ::close(client_);
    client_ = -1;
    in_.clear();
}

bool RspConnection::fill(bool block) {
    if (client_ < 0) return false;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(client_, buf, sizeof buf, block ? 0 : MSG_DONTWAIT);
        if (n > 0) {
            in_.append(buf, static_cast<size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && !block && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        close_client();
        return false;
    }
}

RspConnection::Event RspConnection::receive(std::string& payload) {
    for (;;) {
        // Acknowledgements from the client carry nothing we need (TCP is
        // reliable); anything before '$' but 0x03 is dropped.
        while (!in_.empty() && in_[0] != '$' && in_[0] != '\x03') in_.erase(0, 1);
        if (!in_.empty() && in_[0] == '\x03') {
            in_.erase(0, 1);
            return Event::Interrupt;
        }
        const size_t hash = in_.find('#');
        if (!in_.empty() && hash != std::string::npos && hash + 2 < in_.size()) {
            std::string raw = in_.substr(1, hash - 1);
            in_.erase(0, hash + 3);
            payload.clear();
            for (size_t i = 0; i < raw.size(); ++i) {
                if (raw[i] == '}' && i + 1 < raw.size()) payload += static_cast<char>(raw[++i] ^ 0x20);
                else payload += raw[i];
            }
            ::send(client_, "+", 1, MSG_NOSIGNAL);
            return Event::Packet;
        }
        if (!fill(true)) return Event::Closed;
    }
}

bool RspConnection::poll_interrupt() {
    if (!fill(false)) return false;
    const size_t i = in_.find('\x03');
    if (i == std::string::npos || in_.find('$') < i) return false;
    in_.erase(0, i + 1);
    return true;
}

void RspConnection::send(const std::string& payload) {
    if (client_ < 0) return;
    std::string out = "$";
    uint8_t sum = 0;
    for (char ch : payload) {
        if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
            out += '}';
            sum += '}';
            ch = static_cast<char>(ch ^ 0x20);
        }
        out += ch;
        sum += static_cast<uint8_t>(ch);
    }
    out += fmt::format("#{:02x}", sum);
    for (size_t done = 0; done < out.size();) {
        const ssize_t n = ::send(client_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close_client();
            return;
        }
        done += static_cast<size_t>(n);
    }
}

}  // namespace hvsim::debug
