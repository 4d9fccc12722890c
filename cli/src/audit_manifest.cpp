// --manifest FILE: what produced a report, with the hashes an auditor checks with sha256sum.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/audit_manifest.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

namespace flopledger::inline v1::cli {

HashingBuffer::int_type HashingBuffer::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    hash_.update(std::string_view(&ch, 1));
    return target_->sputc(ch);
}

std::streamsize HashingBuffer::xsputn(const char* s, std::streamsize n) {
    hash_.update(std::string_view(s, static_cast<std::size_t>(n)));
    return target_->sputn(s, n);
}

int HashingBuffer::sync() {
    return target_->pubsync();
}

std::vector<ManifestOption> manifestOptions(const Settings& s,
                                            const std::vector<std::string>& policyIds,
                                            bool evaluate) {
    using Json = nlohmann::json;
    std::vector<ManifestOption> out;
    out.emplace_back("format", Json(s.format).dump());
    if (evaluate) out.emplace_back("policies", Json(policyIds).dump());
    out.emplace_back("convention", Json(s.convention).dump());
    Json prefer = Json::array();
    for (Method m : preferOrder(s.prefer)) prefer.push_back(std::string(toString(m)));
    out.emplace_back("prefer", prefer.dump());
    out.emplace_back("samples", std::to_string(s.samples));
    out.emplace_back("probability_method", Json(s.probabilityMethod).dump());
    out.emplace_back("seed", std::to_string(s.seed));
    out.emplace_back("digits", std::to_string(s.digits));
    if (!s.dataDir.empty()) out.emplace_back("data_dir", Json(s.dataDir).dump());
    if (!s.failOn.empty()) out.emplace_back("fail_on", Json(splitList(s.failOn)).dump());
    return out;
}

Manifest withInputs(Manifest manifest,
                    const std::vector<std::pair<std::string, std::size_t>>& recordsPerFile) {
    for (const auto& [file, count] : recordsPerFile) {
        ManifestFile f;
        f.path = file;
        f.records = count;
        // Standard input and what-if records from flags cannot be read again: no hash.
        if (file != "-" && std::filesystem::is_regular_file(file)) f.sha256 = sha256File(file);
        manifest.inputs.push_back(std::move(f));
    }
    return manifest;
}

void writeManifest(const Settings& s, Manifest manifest,
                   const std::vector<std::pair<std::string, std::size_t>>& recordsPerFile,
                   const std::string& outputSha256) {
    manifest = withInputs(std::move(manifest), recordsPerFile);
    manifest.outputs.push_back(ManifestFile{
        s.output.empty() ? "-" : s.output,
        s.output.empty() || s.output == "-" ? outputSha256 : sha256File(s.output), std::nullopt});
    std::ostringstream unused;
    AtomicOutput file(s.manifest, unused);
    file.stream() << manifestJson(manifest);
    file.commit();
}

}  // namespace flopledger::cli
