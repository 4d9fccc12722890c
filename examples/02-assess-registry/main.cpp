// Example 02: assess a registry against chosen policies as of a fixed date (C++).
//
// usage: example_02_assess_registry REGISTRY.json [YYYY-MM-DD]
// Prints, per policy, its legal standing on the date, then one line per model with its total
// and the verdict of each policy.
#include <flopledger/flopledger.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " REGISTRY.json [YYYY-MM-DD]\n";
        return 2;
    }
    const auto asOf = flopledger::Date::parse(argc > 2 ? argv[2] : "2026-06-01");
    if (!asOf) {
        std::cerr << "not a date: " << argv[2] << '\n';
        return 2;
    }

    const flopledger::RecordReader reader;
    flopledger::ReadResult read = reader.readPath(argv[1]);
    if (!read.ok()) {
        for (const auto& d : read.diagnostics) {
            std::cerr << d.toString() << '\n';
        }
        return 2;
    }

    flopledger::AssessOptions options;
    options.policies = {"eu-ai-act-art51", "us-eo-14110-general", "ca-sb53-frontier",
                        "kr-ai-basic-act"};
    options.asOf = {*asOf};
    try {
        const flopledger::Assessor assessor(options);
        const auto results = assessor.assessAll(std::move(read.records), 1);

        std::cout << "as of " << asOf->toIsoDay() << '\n';
        const auto& first = results.front().dates.front().verdicts;
        for (std::size_t i = 0; i < first.size(); ++i) {
            std::cout << "[" << i + 1 << "] " << std::left << std::setw(21) << first[i].policy
                      << first[i].legalStatus
                      << (first[i].inForce ? ", in force" : ", not in force") << '\n';
        }
        std::ostringstream table;
        table << std::left << std::setw(22) << "model" << std::setw(10) << "total";
        for (std::size_t i = 0; i < first.size(); ++i) {
            table << std::setw(15) << "[" + std::to_string(i + 1) + "]";
        }
        table << '\n';
        for (const auto& r : results) {
            table << std::setw(22) << r.id() << std::setw(10)
                  << flopledger::formatScientific(r.estimate->total.central, 3);
            for (const auto& v : r.dates.front().verdicts) {
                table << std::setw(15) << flopledger::toString(v.status);
            }
            table << '\n';
        }
        // Column padding, without trailing blanks.
        std::istringstream lines(table.str());
        for (std::string line; std::getline(lines, line);) {
            std::cout << line.substr(0, line.find_last_not_of(' ') + 1) << '\n';
        }
    } catch (const flopledger::InputError& e) {
        std::cerr << e.diagnostic().toString() << '\n';
        return 2;
    }
    return 0;
}
