// The PL011 UART (models/dev/pl011.*): registers, the receive FIFO and its
// flags and interrupts, and the timed receive path from an input source.
// Reference: ARM DDI 0183 (PL011 TRM), 3.3 (registers) and 3.4 (interrupts).
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include <tlm_utils/simple_initiator_socket.h>

#include "models/dev/pl011.h"

namespace {

using hvsim::dev::Pl011;
using sc_core::sc_time;
using sc_core::SC_PS;

enum : uint32_t {
    DR = 0x000, RSR = 0x004, FR = 0x018, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02C, CR = 0x030,
    IFLS = 0x034, IMSC = 0x038, RIS = 0x03C, MIS = 0x040, ICR = 0x044,
};
constexpr uint32_t kRxfe = 1u << 4, kRxff = 1u << 6, kTxfe = 1u << 7;
constexpr uint32_t kFen = 1u << 4, kWlen8 = 3u << 5;

struct Bus : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bus> socket{"socket"};
    explicit Bus(sc_core::sc_module_name n) : sc_module(n) {}
    uint32_t read(uint32_t off) { return access(off, 0, false); }
    void write(uint32_t off, uint32_t v) { access(off, v, true); }
    uint32_t access(uint32_t off, uint32_t v, bool w) {
        tlm::tlm_generic_payload gp;
        gp.set_command(w ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(off);
        gp.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        gp.set_data_length(4);
        sc_time t = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, t);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        return v;
    }
};

struct Uart {
    std::ostringstream out;
    Pl011 uart{"uart", out};
    Bus bus{"bus"};
    bool irq = false;
    Uart() {
        bus.socket.bind(uart.socket);
        uart.set_irq_callback([this](bool l) { irq = l; });
    }
};

TEST(Pl011, ResetValues) {
    Uart u;
    EXPECT_EQ(u.bus.read(FR), kTxfe | kRxfe);
    EXPECT_EQ(u.bus.read(CR), 0x300u);  // TXE and RXE set, UARTEN clear
    EXPECT_EQ(u.bus.read(IFLS), 0x12u);
    EXPECT_EQ(u.bus.read(0xFE0), 0x11u);
    EXPECT_EQ(u.bus.read(0xFFC), 0xB1u);
    EXPECT_FALSE(u.uart.rx_enabled());
    u.bus.write(CR, 0x301);
    EXPECT_TRUE(u.uart.rx_enabled());
    u.bus.write(DR, 'A');
    EXPECT_EQ(u.out.str(), "A");
}

TEST(Pl011, HoldingRegisterWithoutFifo) {
    Uart u;
    u.bus.write(IMSC, Pl011::kRxInt);
    EXPECT_TRUE(u.uart.receive('x'));
    EXPECT_EQ(u.bus.read(FR), kTxfe | kRxff);  // one entry: full
    EXPECT_TRUE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_EQ(u.bus.read(MIS), Pl011::kRxInt);
    EXPECT_TRUE(u.irq);
    // A second character before the first is read overruns.
    EXPECT_FALSE(u.uart.receive('y'));
    EXPECT_EQ(u.bus.read(RSR), 1u << 3);
    EXPECT_TRUE(u.bus.read(RIS) & Pl011::kOeInt);
    EXPECT_EQ(u.bus.read(DR), uint32_t('x'));
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_FALSE(u.irq);
    EXPECT_EQ(u.bus.read(FR), kTxfe | kRxfe);
    u.bus.write(RSR, 0);  // UARTECR
    EXPECT_EQ(u.bus.read(RSR), 0u);
    u.bus.write(ICR, Pl011::kOeInt);
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kOeInt);
}

TEST(Pl011, FifoTriggerLevel) {
    Uart u;
    u.bus.write(LCR_H, kFen | kWlen8);
    u.bus.write(IFLS, 2u << 3);  // RXIFLSEL = 1/2 full: 8 of 16
    u.bus.write(IMSC, Pl011::kRxInt | Pl011::kRtInt);
    for (int i = 0; i < 7; ++i) ASSERT_TRUE(u.uart.receive(uint8_t('a' + i)));
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_FALSE(u.irq);
    EXPECT_EQ(u.bus.read(FR) & (kRxfe | kRxff), 0u);
    ASSERT_TRUE(u.uart.receive('h'));
    EXPECT_TRUE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_TRUE(u.irq);
    // Reading below the trigger level clears the receive interrupt.
    EXPECT_EQ(u.bus.read(DR), uint32_t('a'));
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_FALSE(u.irq);
    for (int i = 0; i < 9; ++i) ASSERT_TRUE(u.uart.receive('z'));
    EXPECT_EQ(u.uart.rx_level(), Pl011::kFifoDepth);
    EXPECT_TRUE(u.bus.read(FR) & kRxff);
    EXPECT_FALSE(u.uart.receive('!'));
    // ICR clears the receive interrupt while the FIFO stays full.
    u.bus.write(ICR, Pl011::kRxInt);
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRxInt);
    EXPECT_EQ(u.uart.rx_level(), Pl011::kFifoDepth);
    for (char c : std::string("bcdefgh")) EXPECT_EQ(u.bus.read(DR), uint32_t(c));
}

TEST(Pl011, CharacterTime) {
    Uart u;
    // Divisor unprogrammed: 115200 baud; reset format 5 data bits, 1 stop.
    EXPECT_EQ(u.uart.character_time(), sc_time(7.0 * 8680555, SC_PS));
    // 115200 baud from 24 MHz: BAUDDIV = 13 + 1/64; 8N1 = 10 bits.
    u.bus.write(IBRD, 13);
    u.bus.write(FBRD, 1);
    u.bus.write(LCR_H, kWlen8);
    EXPECT_EQ(u.uart.character_time(), sc_time(10.0 * 8677083, SC_PS));
    // Even parity and two stop bits: 12 bits.
    u.bus.write(LCR_H, kWlen8 | (1u << 1) | (1u << 2) | (1u << 3));
    EXPECT_EQ(u.uart.character_time(), sc_time(12.0 * 8677083, SC_PS));
}

// The only test that runs the SystemC kernel (one elaboration per process).
TEST(Pl011, TimedReceiveFromInput) {
    Uart u;
    const std::string input = "hi\n";
    size_t pos = 0, asked = 0;
    u.uart.set_input([&]() -> int {
        ++asked;
        return pos < input.size() ? uint8_t(input[pos++]) : Pl011::kEndOfInput;
    });
    u.bus.write(IBRD, 13);
    u.bus.write(FBRD, 1);
    u.bus.write(LCR_H, kFen | kWlen8);
    u.bus.write(IMSC, Pl011::kRtInt);
    const sc_time ch = u.uart.character_time();
    // Receiver disabled: nothing is taken from the input.
    sc_core::sc_start(ch * 5);
    EXPECT_EQ(asked, 0u);
    const sc_time enabled_at = sc_core::sc_time_stamp();
    u.bus.write(CR, 0x301);
    // One byte per character time after the receiver is enabled.
    sc_core::sc_start(ch * 1.5);
    EXPECT_EQ(u.uart.rx_level(), 1u);
    sc_core::sc_start(ch);
    EXPECT_EQ(u.uart.rx_level(), 2u);
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRtInt);
    sc_core::sc_start(ch);
    EXPECT_EQ(u.uart.rx_level(), 3u);
    EXPECT_EQ(sc_core::sc_time_stamp() - enabled_at, ch * 3.5);
    // 32 bit periods after the last byte, the receive timeout interrupt.
    sc_core::sc_start(ch * 3.3);
    EXPECT_TRUE(u.bus.read(RIS) & Pl011::kRtInt);
    EXPECT_TRUE(u.irq);
    EXPECT_EQ(u.bus.read(DR), uint32_t('h'));
    EXPECT_EQ(u.bus.read(DR), uint32_t('i'));
    EXPECT_EQ(u.bus.read(DR), uint32_t('\n'));
    EXPECT_FALSE(u.bus.read(RIS) & Pl011::kRtInt);  // FIFO empty
    EXPECT_FALSE(u.irq);
    // End of input: asked once more, then never again.
    sc_core::sc_start(ch * 10);
    EXPECT_EQ(asked, 4u);
    EXPECT_EQ(u.uart.bytes_received(), 3u);
}

// The `uart` trace category: each byte transmitted (at the access's time,
// sc_time_stamp() plus its delay) and received, overruns included.
TEST(Pl011, Trace) {
    Uart u;
    hvsim::Trace trace;
    std::string bad;
    ASSERT_TRUE(trace.enable("uart", bad));
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    trace.set_output(f);
    u.uart.set_trace(&trace);
    uint32_t v = 'A';
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_WRITE_COMMAND);
    gp.set_address(DR);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
    gp.set_data_length(4);
    sc_time delay(5000, SC_PS);
    u.bus.socket->b_transport(gp, delay);
    u.bus.write(DR, ' ');
    EXPECT_TRUE(u.uart.receive('x'));
    EXPECT_FALSE(u.uart.receive('y'));  // no FIFO: the holding register is full
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += char(c);
    std::fclose(f);
    EXPECT_EQ(text,
              "         5ns uart   tx byte=0x41 char=A\n"
              "         0ns uart   tx byte=0x20\n"
              "         0ns uart   rx byte=0x78 char=x\n"
              "         0ns uart   rx byte=0x79 char=y overrun\n");
}

}  // namespace
