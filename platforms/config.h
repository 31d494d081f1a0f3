// Configuration as data: the effective platform configuration is one JSON
// document. default_config() holds every property of the built-in `virt`
// platform with its default value; a platform file (--platform FILE) is
// merged over it and `key.path=value` assignments (--set) override single
// properties. The defaults are the schema: a key that is not in them is
// unknown, and a value must have the type of the default. virt_config()
// then checks the values and builds the typed VirtConfig. Every problem is
// an hvsim::Error naming the key. See platforms/README.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "virt.h"

namespace hvsim::platform {

// The built-in `virt` platform with every property at its default.
nlohmann::json default_config();

// Merges `overlay` into `cfg`: objects key by key, values replaced. Unknown
// keys and values whose type differs from the current one are errors naming
// the key and `source` (a file name, for the message).
void merge_config(nlohmann::json& cfg, const nlohmann::json& overlay, const std::string& source);

// Parses and merges a JSON platform file.
void load_config_file(nlohmann::json& cfg, const std::string& path);

// Applies one "key.path=value" assignment. The value is read as the type of
// the existing property: integers accept 0x hex and K/M/G/T suffixes
// (powers of 1024), booleans true/false/on/off/yes/no/1/0, strings as
// written; objects and arrays take JSON text.
void set_config(nlohmann::json& cfg, const std::string& assignment);

// Checks every value and builds the platform configuration. Impossible
// values (zero cores, overlapping regions, a cache geometry that CCSIDR
// cannot describe...) are errors naming the key.
VirtConfig virt_config(const nlohmann::json& cfg);

}  // namespace hvsim::platform
