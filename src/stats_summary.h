// The human summary `--stats -` prints on stderr at exit: the statistics
// JSON (docs/schemas/stats.schema.json) as a few readable lines.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hvsim {

std::string stats_summary(const nlohmann::json& stats);

}  // namespace hvsim
