#pragma once
// The default data files compiled into the library (see cmake/EmbedData.cmake).
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

struct EmbeddedFile {
    std::string_view group;  // "policies" or "hardware"
    std::string_view name;   // file name, e.g. "eu-ai-act-art51.json"
    std::string_view text;
};

const std::vector<EmbeddedFile>& embeddedFiles();

}  // namespace flopledger::detail
