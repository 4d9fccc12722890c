/* Example 04: the C API. Assesses two records (JSON Lines) against two policies as of a fixed
 * date, prints a summary pulled from the JSON result, then shows how a failure is reported.
 *
 * Build: cc main.c $(pkg-config --cflags --libs flopledger)   or CMake target flopledger::c */
#include <flopledger/flopledger.h>

#include <stdio.h>
#include <string.h>

static const char* const kRecords =
    "{\"id\": \"gpt-3-175b\", \"modalities\": [\"text\"], \"architecture\": {\"params\": \"175B\"},"
    " \"stages\": [{\"kind\": \"pretraining\", \"tokens\": \"300B\"}]}\n"
    "{\"id\": \"frontier-2e26\", \"modalities\": [\"text\"],"
    " \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"2e26\"}]}\n";

static const char* const kOptions =
    "{\"as_of\": \"2026-06-01\", \"policies\": [\"eu-ai-act-art51\", \"us-eo-14110-general\"]}";

/* The second record has a number that is not one. */
static const char* const kBadRecords =
    "{\"id\": \"ok\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"1e20\"}]}\n"
    "{\"id\": \"bad\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"lots\"}]}\n";

/* Copies the string value that follows `key` (e.g. "\"id\":") at or after `from` into out.
 * Returns a pointer past the value, or NULL. Enough for the flat strings used here. */
static const char* stringAfter(const char* from, const char* key, char* out, size_t size) {
    const char* p = strstr(from, key);
    const char* end;
    size_t n;
    if (p == NULL) {
        return NULL;
    }
    p = strchr(p + strlen(key), '"');
    if (p == NULL) {
        return NULL;
    }
    ++p;
    end = strchr(p, '"');
    if (end == NULL) {
        return NULL;
    }
    n = (size_t)(end - p);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return end + 1;
}

static void summarize(const char* json) {
    /* The document has one result object per line. */
    const char* line = strchr(json, '{');
    while (line != NULL) {
        char id[128], total[128], policy[128], status[64];
        const char* next = strstr(line, "\n  {");
        const char* p;
        if (stringAfter(line, "\"id\":", id, sizeof id) == NULL) {
            break;
        }
        p = strstr(line, "\"total\":");
        if (p == NULL || stringAfter(p, "\"central\":", total, sizeof total) == NULL) {
            break;
        }
        printf("%s: total %s FLOP\n", id, total);
        p = strstr(line, "\"verdicts\":");
        while (p != NULL && (next == NULL || p < next)) {
            p = stringAfter(p, "\"policy\":", policy, sizeof policy);
            if (p == NULL || (next != NULL && p > next)) {
                break;
            }
            p = stringAfter(p, "\"status\":", status, sizeof status);
            if (p == NULL) {
                break;
            }
            printf("  %s: %s\n", policy, status);
        }
        line = next == NULL ? NULL : next + 3;
    }
}

int main(void) {
    flopledger_t* handle;
    char* result;
    const char* error;
    const char* code;

    printf("flopledger %s\n", flopledger_version());
    handle = flopledger_new(NULL); /* the policies and hardware compiled into the library */
    if (handle == NULL) {
        fprintf(stderr, "flopledger_new: %s\n", flopledger_last_error(NULL));
        return 1;
    }

    result = flopledger_assess(handle, kRecords, kOptions);
    if (result == NULL) {
        fprintf(stderr, "flopledger_assess: %s\n", flopledger_last_error(handle));
        flopledger_delete(handle);
        return 1;
    }
    summarize(result);
    flopledger_free(result);

    /* Failures return NULL; the message names the input, line, JSON pointer and error code. */
    result = flopledger_assess(handle, kBadRecords, kOptions);
    if (result != NULL) {
        fprintf(stderr, "invalid records were accepted\n");
        flopledger_free(result);
        flopledger_delete(handle);
        return 1;
    }
    error = flopledger_last_error(handle);
    code = strstr(error, ": error ");
    /* Print the location and code; the wording after them may be improved over time. */
    printf("invalid input rejected: %.*s\n", code == NULL ? 0 : (int)(code - error + 12), error);

    flopledger_delete(handle);
    return 0;
}
