#pragma once
// The library version. Kept in step with project(VERSION) in the top-level CMakeLists.txt:
// cmake/FlopledgerPackaging.cmake stops the configure step if the two disagree.

#define FLOPLEDGER_VERSION_MAJOR 1
#define FLOPLEDGER_VERSION_MINOR 0
#define FLOPLEDGER_VERSION_PATCH 0
#define FLOPLEDGER_VERSION "1.0.0"

// Every public name lives in the inline namespace flopledger::v1 (written flopledger:: as
// usual): a program built against headers of another ABI generation fails to link instead of
// calling into an incompatible library.
namespace flopledger {
inline namespace v1 {

/// The version this header belongs to, as numbers (compile time).
inline constexpr int kVersionMajor = FLOPLEDGER_VERSION_MAJOR;
inline constexpr int kVersionMinor = FLOPLEDGER_VERSION_MINOR;
inline constexpr int kVersionPatch = FLOPLEDGER_VERSION_PATCH;
/// The version this header belongs to, "MAJOR.MINOR.PATCH".
inline constexpr const char* kVersionString = FLOPLEDGER_VERSION;

}  // inline namespace v1
}  // namespace flopledger
