#pragma once
// The library version. Kept in step with project(VERSION) in the top-level CMakeLists.txt:
// cmake/FlopledgerPackaging.cmake stops the configure step if the two disagree.

#define FLOPLEDGER_VERSION_MAJOR 1
#define FLOPLEDGER_VERSION_MINOR 0
#define FLOPLEDGER_VERSION_PATCH 0
#define FLOPLEDGER_VERSION "1.0.0"

namespace flopledger {

/// The version this header belongs to, as numbers (compile time).
inline constexpr int kVersionMajor = FLOPLEDGER_VERSION_MAJOR;
inline constexpr int kVersionMinor = FLOPLEDGER_VERSION_MINOR;
inline constexpr int kVersionPatch = FLOPLEDGER_VERSION_PATCH;
/// The version this header belongs to, "MAJOR.MINOR.PATCH".
inline constexpr const char* kVersionString = FLOPLEDGER_VERSION;

}  // namespace flopledger
