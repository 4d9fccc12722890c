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

#include <stddef.h>

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

/** Estimates, then evaluates policies as of a date. options_json may be NULL or a JSON object
 *  with the CLI's options (docs/embedding.md lists them): "as_of" ("YYYY-MM-DD" or a list of
 *  dates; default today, UTC), "policies" (list of ids; default all legal instruments),
 *  "convention" ("matmul", "kaplan", "chinchilla", "palm", "megatron"), "prefer" (list of
 *  "stated", "architecture", "six-nd", "hardware"), "samples" and "seed" (Monte Carlo),
 *  "format" ("json", the default, or "jsonl": compact, one object a line), "threads",
 *  "data_dir", "digits", "fail_on". A key given twice is an error. Returns a string to release
 *  with flopledger_free, or NULL on failure. */
FLOPLEDGER_C_API char* flopledger_assess(flopledger_t* handle, const char* records,
                                         const char* options_json);

/** The message of the last failure on this handle ("" if none). With NULL: the message of the
 *  last flopledger_new failure on this thread, or a fixed message. The string stays valid until
 *  the next call on the same handle. Never returns NULL. */
FLOPLEDGER_C_API const char* flopledger_last_error(const flopledger_t* handle);

/** The `sensitivity --format json` document: which accounting choices flip which verdict, for
 *  every model record in `records` (options as for flopledger_assess; the first "as_of" date is
 *  used). Returns a string to release with flopledger_free, or NULL on failure. */
FLOPLEDGER_C_API char* flopledger_sensitivity(flopledger_t* handle, const char* records,
                                              const char* options_json);

/** The audit manifest (contract 7.7) of the last successful estimate, assess, sensitivity or
 *  assess_stream call on this handle, as a JSON object: library version, dates (and whether
 *  they defaulted to today), options, policy and hardware data (source and SHA-256), the input
 *  (path "records", its SHA-256 and record count) and the output (path "result" and the SHA-256
 *  of the returned string; for a stream, of all lines handed over, concatenated). NULL when no
 *  call succeeded yet. Release with flopledger_free. */
FLOPLEDGER_C_API char* flopledger_manifest(flopledger_t* handle);

/** The code of the last failure's first diagnostic on this handle: 101 for E101, 310 for E310,
 *  ... (docs/errors.md); 0 after a success; 901 for an internal error or out of memory. With
 *  NULL: the code of the last flopledger_new failure on this thread (0 if none). */
FLOPLEDGER_C_API int flopledger_last_error_code(const flopledger_t* handle);

/** The input line of the last failure's first diagnostic (1-based; 0 when not known). */
FLOPLEDGER_C_API size_t flopledger_last_error_line(const flopledger_t* handle);

/** The JSON pointer of the last failure's first diagnostic ("" when not known), e.g.
 *  "/stages/0/hardware/accelerator". Valid until the next call on the same handle. */
FLOPLEDGER_C_API const char* flopledger_last_error_pointer(const flopledger_t* handle);

/** Reads up to `capacity` bytes of JSON Lines into `buffer`; returns the number read, 0 at the
 *  end of the input, or a negative number on a read error. */
typedef long (*flopledger_read_fn)(void* user, char* buffer, size_t capacity);

/** Receives one input record's result: `json` is its JSON Lines text (one line per as-of date,
 *  each ending in a newline; `length` bytes, NUL-terminated) or NULL when the record had an
 *  error, which `error` then describes (the diagnostic line); `line` is its input line. Return
 *  0 to go on, non-zero to stop. The strings are valid only during the call. */
typedef int (*flopledger_record_fn)(void* user, size_t line, const char* json, size_t length,
                                    const char* error);

/** Assesses (or with "estimate": true in options_json, only estimates) JSON Lines read through
 *  `read`, one record a line, in bounded memory, and hands each record's result to `record` in
 *  input order, never concurrently. options_json as for flopledger_assess, plus "threads"
 *  (workers; default 1, 0: all cores) and "estimate". Records are assessed on their own (a
 *  parent is taken from its "parent" fields). Returns the number of records handed over, or -1
 *  on failure (bad options, read error, callback stopped: see flopledger_last_error). A bad
 *  record does not stop the stream. */
FLOPLEDGER_C_API long flopledger_assess_stream(flopledger_t* handle, flopledger_read_fn read,
                                               void* read_user, flopledger_record_fn record,
                                               void* record_user, const char* options_json);

/** Releases a string returned by flopledger_estimate, flopledger_assess,
 *  flopledger_sensitivity or flopledger_manifest. NULL is ignored. */
FLOPLEDGER_C_API void flopledger_free(char* text);

/** Destroys a context. NULL is ignored. */
FLOPLEDGER_C_API void flopledger_delete(flopledger_t* handle);

/** The library version, "MAJOR.MINOR.PATCH". */
FLOPLEDGER_C_API const char* flopledger_version(void);

#ifdef __cplusplus
}
#endif

#endif /* FLOPLEDGER_FLOPLEDGER_H */
