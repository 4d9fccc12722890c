// Example 03: a batch report. Assesses a registry and writes a Markdown memo and a CSV table with
// the library's report writers (the same bytes as `flopledger assess --format md|csv`), then
// reads the CSV back and prints the columns a reviewer checks first.
//
// usage: example_03_batch_report REGISTRY.json OUT_DIR [YYYY-MM-DD]
#include <flopledger/flopledger.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// RFC 4180 records (quoted fields, doubled quotes, CRLF or LF line ends).
std::vector<std::vector<std::string>> readCsv(std::istream& in) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (char c; in.get(c);) {
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field += '"';
                    in.get();
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (rows.back().empty()) {
        rows.pop_back();
    }
    return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return i;
        }
    }
    throw std::runtime_error("CSV has no column " + name);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " REGISTRY.json OUT_DIR [YYYY-MM-DD]\n";
        return 2;
    }
    const auto asOf = flopledger::Date::parse(argc > 3 ? argv[3] : "2026-06-01");
    if (!asOf) {
        std::cerr << "not a date\n";
        return 2;
    }
    const std::filesystem::path outDir(argv[2]);
    std::filesystem::create_directories(outDir);

    try {
        const flopledger::RecordReader reader;
        flopledger::ReadResult read = reader.readPath(argv[1]);
        if (!read.ok()) {
            for (const auto& d : read.diagnostics) {
                std::cerr << d.toString() << '\n';
            }
            return 2;
        }
        flopledger::AssessOptions options;
        options.policies = {"eu-ai-act-art51", "kr-ai-basic-act"};
        options.asOf = {*asOf};
        const flopledger::Assessor assessor(options);
        const auto results = assessor.assessAll(std::move(read.records), 1);

        flopledger::ReportOptions report;
        report.asOf = options.asOf;
        for (const std::string& id : assessor.policyIds()) {
            report.policies.push_back(
                flopledger::summarizePolicy(*assessor.catalog().find(id), *asOf));
        }
        for (auto [format, name] : {std::pair{flopledger::ReportFormat::Markdown, "report.md"},
                                    std::pair{flopledger::ReportFormat::Csv, "report.csv"}}) {
            report.format = format;
            std::ofstream out(outDir / name, std::ios::binary);
            flopledger::writeReport(report, results, out);
            if (!out.flush()) {
                std::cerr << "cannot write " << (outDir / name).string() << '\n';
                return 3;
            }
        }

        std::ifstream md(outDir / "report.md");
        std::string title;
        std::getline(md, title);
        std::cout << "report.md: " << title << '\n';

        std::ifstream csv(outDir / "report.csv", std::ios::binary);
        const auto rows = readCsv(csv);
        const auto& h = rows.front();
        const std::size_t cols[] = {column(h, "id"),          column(h, "policy"),
                                    column(h, "status"),      column(h, "counted_central"),
                                    column(h, "comparator"),  column(h, "threshold"),
                                    column(h, "margin_log10")};
        std::cout << "report.csv: " << rows.size() - 1 << " rows\n";
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t c : cols) {
                line += (line.empty() ? "" : " ") + row.at(c);
            }
            std::cout << line << '\n';
        }
    } catch (const flopledger::InputError& e) {
        std::cerr << e.diagnostic().toString() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 3;
    }
    return 0;
}
