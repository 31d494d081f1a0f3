// libsystemc's own main() refers to sc_main(), so every executable that links
// the SystemC library must define one. Unit tests run GoogleTest's main()
// and drive the models without starting the SystemC kernel; this sc_main is
// never called.
// C linkage, as <systemc> declares it (sc_externs.h).
extern "C" int sc_main(int, char**) { return 0; }
