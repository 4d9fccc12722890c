// Streaming benchmark (issue 17): assesses a JSON Lines file through the C++ streaming API
// (flopledger::assessStream) or the C API (flopledger_assess_stream) and reports records/s and
// peak RSS. Output bytes are counted, not kept, so memory shows what the library holds.
//
// usage: flopledger_stream_bench cpp|c RECORDS.jsonl [THREADS]
// run_stream_bench.sh runs both on 200,000 generated records and checks peak RSS < 256 MiB.
#include <flopledger/flopledger.h>
#include <flopledger/stream.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

struct Counts {
    std::size_t records = 0;
    std::size_t errors = 0;
    std::size_t bytes = 0;
};

long readFile(void* user, char* buffer, size_t capacity) {
    auto* in = static_cast<std::ifstream*>(user);
    in->read(buffer, static_cast<std::streamsize>(capacity));
    return in->bad() ? -1 : static_cast<long>(in->gcount());
}

int onRecord(void* user, size_t /*line*/, const char* json, size_t length, const char* /*error*/) {
    auto* c = static_cast<Counts*>(user);
    ++c->records;
    if (json == nullptr) ++c->errors;
    c->bytes += length;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || (std::strcmp(argv[1], "cpp") != 0 && std::strcmp(argv[1], "c") != 0)) {
        std::cerr << "usage: flopledger_stream_bench cpp|c RECORDS.jsonl [THREADS]\n";
        return 2;
    }
    const std::string mode = argv[1];
    const unsigned threads = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 0;
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
        std::cerr << argv[2] << ": cannot open\n";
        return 2;
    }
    Counts counts;
    const auto start = std::chrono::steady_clock::now();
    if (mode == "cpp") {
        flopledger::AssessOptions options;
        options.asOf = {*flopledger::Date::parse("2026-06-01")};
        const flopledger::Assessor assessor(options);
        flopledger::StreamOptions so;
        so.threads = threads;
        flopledger::assessStream(
            assessor, in,
            [&](const flopledger::StreamItem& item) {
                ++counts.records;
                if (item.result == nullptr) ++counts.errors;
                counts.bytes += item.jsonLines.size();
                return true;
            },
            so);
    } else {
        flopledger_t* h = flopledger_new(nullptr);
        const std::string options =
            "{\"as_of\": \"2026-06-01\", \"threads\": " + std::to_string(threads) + "}";
        const long n =
            flopledger_assess_stream(h, readFile, &in, onRecord, &counts, options.c_str());
        if (n < 0) {
            std::cerr << flopledger_last_error(h) << "\n";
            flopledger_delete(h);
            return 1;
        }
        flopledger_delete(h);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "%s API: %zu records (%zu errors), %.1f MiB of JSON Lines out, %.2f s, %.0f records/s, "
        "peak RSS %.1f MiB\n",
        mode == "cpp" ? "C++" : "C", counts.records, counts.errors,
        static_cast<double>(counts.bytes) / (1 << 20), seconds,
        static_cast<double>(counts.records) / seconds,
        static_cast<double>(usage.ru_maxrss) / 1024.0);
    return counts.errors == 0 ? 0 : 1;
}
