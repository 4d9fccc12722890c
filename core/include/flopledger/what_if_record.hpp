#pragma once
// Quick what-ifs without writing JSON: a model record from key/value fields, as the CLI's
// `--params 70B --tokens 15T --accelerator h100 --count 16384 --days 54 --utilization 38%`
// flags give them. The fields become record JSON that RecordReader reads and validates, so a
// record from fields is checked exactly like a record from a file (same codes, same messages).
#include <flopledger/record_reader.hpp>

#include <string>
#include <utility>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Field names, in the order `--help` lists them: id, name, developer, released, revenue,
/// params, active-params, layers, d-model, heads, kv-heads, ffn, vocab, mlp, seq-len, tokens,
/// flop, accelerator, count, hours, days, chip-hours, utilization, precision.
const std::vector<std::string>& recordFieldNames();

/// The record JSON of `fields` (name, value). `days` become hours (x 24); a utilization written
/// with '%' is divided by 100. Throws InputError(Usage) for an unknown field (with "did you
/// mean") or a field given twice, and number errors for a bad `days` or `%` value.
std::string recordJsonFromFields(const std::vector<std::pair<std::string, std::string>>& fields);

/// The record read and validated by `reader` (file name "(flags)"): diagnostics as for a file.
ReadResult recordFromFields(const std::vector<std::pair<std::string, std::string>>& fields,
                            const RecordReader& reader);

}  // inline namespace v1
}  // namespace flopledger
