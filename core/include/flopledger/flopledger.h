/* FLOP Ledger C API: estimate training compute and evaluate legal compute thresholds from any
 * language that can call C. Link with `pkg-config --cflags --libs flopledger` or the CMake
 * target flopledger::c. C89-compatible.
 *
 * Every function that can fail returns NULL and never aborts: the reason is then available from
 * flopledger_last_error(). Results are the JSON documents of `flopledger estimate/assess
 * --format json`, byte for byte. One handle may be used from one thread at a time; separate
 * handles are independent. */
#ifndef FLOPLEDGER_FLOPLEDGER_H
#define FLOPLEDGER_FLOPLEDGER_H

#if defined(_WIN32)
#define FLOPLEDGER_C_API
#elif defined(__GNUC__) || defined(__clang__)
#define FLOPLEDGER_C_API __attribute__((visibility("default")))
#else
#define FLOPLEDGER_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** An assessment context: the policies and hardware tables in use, and the last error. Opaque.
 *  In C++ the tag is flopledger_handle, because a class named `flopledger` would clash with the
 *  C++ API's namespace; the functions are extern "C", so both spellings name the same thing. */
#ifdef __cplusplus
typedef struct flopledger_handle flopledger_t;
#else
typedef struct flopledger flopledger_t;
#endif

/** Creates a context. data_dir NULL: the policies and hardware tables compiled into the library.
 *  Otherwise a directory holding `policies/` and/or `hardware/` folders of JSON files (the
 *  layout of share/flopledger); each folder present replaces the corresponding defaults.
 *  Returns NULL on failure; flopledger_last_error(NULL) then says why. */
FLOPLEDGER_C_API flopledger_t* flopledger_new(const char* data_dir);

/** Estimates every stage and the total of each model in `records` (registry text in any accepted
 *  format: JSON array, {"records": [...]}, one record object, JSON Lines). options_json may be
 *  NULL or a JSON object with keys "convention", "prefer", "samples", "seed" (see
 *  flopledger_assess). Returns a string to release with flopledger_free, or NULL on failure. */
FLOPLEDGER_C_API char* flopledger_estimate(flopledger_t* handle, const char* records,
                                           const char* options_json);

/** Estimates, then evaluates policies as of a date. options_json may be NULL or a JSON object:
 *  "as_of" ("YYYY-MM-DD" or a list of dates; default today, UTC), "policies" (list of ids;
 *  default all legal instruments), "convention" ("matmul", "kaplan", "chinchilla", "palm",
 *  "megatron"), "prefer" (list of "stated", "architecture", "six-nd", "hardware"), "samples" and
 *  "seed" (Monte Carlo). Returns a string to release with flopledger_free, or NULL on failure. */
FLOPLEDGER_C_API char* flopledger_assess(flopledger_t* handle, const char* records,
                                         const char* options_json);

/** The message of the last failure on this handle ("" if none). With NULL: the message of the
 *  last flopledger_new failure on this thread, or a fixed message. The string stays valid until
 *  the next call on the same handle. Never returns NULL. */
FLOPLEDGER_C_API const char* flopledger_last_error(const flopledger_t* handle);

/** Releases a string returned by flopledger_estimate or flopledger_assess. NULL is ignored. */
FLOPLEDGER_C_API void flopledger_free(char* text);

/** Destroys a context. NULL is ignored. */
FLOPLEDGER_C_API void flopledger_delete(flopledger_t* handle);

/** The library version, "MAJOR.MINOR.PATCH". */
FLOPLEDGER_C_API const char* flopledger_version(void);

#ifdef __cplusplus
}
#endif

#endif /* FLOPLEDGER_FLOPLEDGER_H */
