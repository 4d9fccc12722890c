#pragma once
// Where a catalog's data came from, for the audit manifest (contract 7.7).
#include <string>

namespace flopledger {
inline namespace v1 {

/// The data a catalog was built from. `sha256` is computed over the files actually loaded: the
/// SHA-256 of the listing `sha256sum` prints for them (one line "<hex>  <file name>\n" per
/// file, in byte order of the names), so `cd DIR/policies && LC_ALL=C sha256sum *.json |
/// sha256sum` reproduces it. The embedded defaults are hashed the same way over their own
/// bytes, so they hash equal to a data directory holding the same files.
struct DataSource {
    std::string source;  ///< "embedded", or the directory the files were read from
    std::string sha256;  ///< lowercase hex; empty for a catalog built in code
};

}  // inline namespace v1
}  // namespace flopledger
