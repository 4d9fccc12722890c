// The policy catalog: the embedded defaults, a directory of policy files, lookup and selection
// (policy_catalog.hpp).
#include <flopledger/manifest.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/policy_catalog.hpp>

#include "io/embedded_data.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace flopledger::inline v1 {
namespace {

PolicyCatalog loadEmbedded() {
    PolicyCatalog catalog;
    DataDigest digest;  // over the bytes parsed, for the audit manifest
    for (const auto& f : detail::embeddedFiles()) {
        if (f.group != "policies") continue;
        catalog.add(PolicyCatalog::parse(f.text, "policies/" + std::string(f.name)));
        digest.add(f.name, f.text);
    }
    catalog.setDataSource(digest.finish("embedded"));
    return catalog;
}

}  // namespace

void PolicyCatalog::add(Policy policy) {
    auto it = std::lower_bound(policies_.begin(), policies_.end(), policy.id,
                               [](const Policy& p, const std::string& id) { return p.id < id; });
    if (it != policies_.end() && it->id == policy.id)
        throw InputError(
            Diagnostic{Severity::Error, ErrorCode::DuplicateId, policy.file, 0, "/id",
                       "policy id \"" + policy.id + "\" is also defined in " + it->file});
    policies_.insert(it, std::move(policy));
}

const PolicyCatalog& PolicyCatalog::defaults() {
    static const PolicyCatalog catalog = loadEmbedded();  // thread-safe static initialisation
    return catalog;
}

PolicyCatalog PolicyCatalog::fromDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw InputError(Diagnostic{Severity::Error,
                                    ErrorCode::FileNotFound,
                                    dir,
                                    0,
                                    {},
                                    "not a directory of policy files"});
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    PolicyCatalog catalog;
    DataDigest digest;  // over the bytes parsed, for the audit manifest
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw InputError(Diagnostic{
                Severity::Error, ErrorCode::FileNotFound, path.string(), 0, {}, "cannot open"});
        std::ostringstream text;
        text << in.rdbuf();
        catalog.add(parse(text.str(), path.string()));
        digest.add(path.filename().string(), text.str());
    }
    catalog.setDataSource(digest.finish(dir));
    return catalog;
}

const Policy* PolicyCatalog::find(std::string_view id) const {
    auto it = std::lower_bound(policies_.begin(), policies_.end(), id,
                               [](const Policy& p, std::string_view key) { return p.id < key; });
    return it != policies_.end() && it->id == id ? &*it : nullptr;
}

std::vector<std::string> PolicyCatalog::ids() const {
    std::vector<std::string> out;
    for (const Policy& p : policies_) out.push_back(p.id);
    return out;
}

std::vector<std::string> PolicyCatalog::defaultIds() const {
    std::vector<std::string> out;
    for (const Policy& p : policies_)
        if (!p.illustrative) out.push_back(p.id);
    return out;
}

std::vector<const Policy*> PolicyCatalog::select(const std::vector<std::string>& ids) const {
    std::vector<const Policy*> out;
    auto push = [&](const Policy* p) {
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    if (ids.empty()) {
        for (const std::string& id : defaultIds()) push(find(id));
        return out;
    }
    for (const std::string& id : ids) {
        if (id == "all") {
            for (const std::string& d : defaultIds()) push(find(d));
        } else if (id == "everything") {
            for (const Policy& p : policies_) push(&p);
        } else if (const Policy* p = find(id)) {
            push(p);
        } else {
            std::vector<std::string_view> known;
            for (const Policy& q : policies_) known.push_back(q.id);
            std::string msg = "no policy \"" + id + "\"";
            const std::string guess = didYouMean(id, known);
            if (!guess.empty()) msg += "; did you mean \"" + guess + "\"?";
            msg += " (`policies list` shows them)";
            throw InputError(ErrorCode::UnknownPolicy, msg);
        }
    }
    return out;
}

}  // namespace flopledger