// The transport of the GDB remote serial protocol: a TCP listener on
// 127.0.0.1 (never another interface), one client at a time, packet framing
// ($payload#checksum), acknowledgements and the out-of-band interrupt byte
// (0x03, Ctrl-C). It knows nothing of packet meanings (gdb_stub.h does).
#pragma once

#include <cstdint>
#include <string>

namespace hvsim::debug {

class RspConnection {
public:
    // Listens on 127.0.0.1:port (0: a free port, see port()); throws
    // hvsim::Error if the port cannot be had.
    explicit RspConnection(uint16_t port);
    ~RspConnection();
    RspConnection(const RspConnection&) = delete;
    RspConnection& operator=(const RspConnection&) = delete;

    uint16_t port() const { return port_; }
    bool connected() const { return client_ >= 0; }
    // Accepts a client if one is waiting (or, with `block`, waits for one);
    // true when a client is connected.
    bool accept(bool block);

    enum class Event { Packet, Interrupt, Closed };
    // Waits for the next packet (acknowledged, payload unescaped) or an
    // interrupt byte; Closed when the client went away.
    Event receive(std::string& payload);
    // Without blocking: true if the client sent the interrupt byte (other
    // bytes stay buffered); a closed connection is noticed here too.
    bool poll_interrupt();
    // Sends one packet (the payload is escaped as needed).
    void send(const std::string& payload);
    void close_client();

private:
    bool fill(bool block);  // reads what is available into in_; false on EOF/error

    int listener_ = -1, client_ = -1;
    uint16_t port_ = 0;
    std::string in_;
};

}  // namespace hvsim::debug
