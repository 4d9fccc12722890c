#pragma once
// The set of policies: the shipped ones (compiled in from policies/*.json) or a directory that
// overrides them; parsing and validation of policy files; human descriptions for the CLI and docs.
#include <flopledger/data_source.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/policy.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

class PolicyCatalog {
public:
    /// The policies compiled into the library, parsed once (thread-safe).
    static const PolicyCatalog& defaults();
    /// Every *.json file in `dir`, sorted by name; throws InputError for the first bad file.
    static PolicyCatalog fromDirectory(const std::string& dir);

    /// Parses one policy document; throws InputError (PolicyInvalid, UnknownMetric, ...) located
    /// at file, line and JSON pointer.
    static Policy parse(std::string_view text, const std::string& fileName);
    /// Every problem of one policy document (empty: valid).
    static std::vector<Diagnostic> validate(std::string_view text, const std::string& fileName);

    /// Adds a policy; throws InputError (DuplicateId) if its id is taken.
    void add(Policy policy);

    const Policy* find(std::string_view id) const;
    const std::vector<Policy>& all() const { return policies_; }
    std::vector<std::string> ids() const;
    /// The default set ("all" on the command line): every policy that is not illustrative.
    std::vector<std::string> defaultIds() const;
    /// Resolves requested ids in order; empty or "all": defaultIds(); "everything": all ids,
    /// illustrative ones included. Throws InputError (UnknownPolicy, with "did you mean").
    std::vector<const Policy*> select(const std::vector<std::string>& ids) const;

    /// The files this catalog was loaded from and their hash (audit manifest).
    const DataSource& dataSource() const { return source_; }
    void setDataSource(DataSource source) { source_ = std::move(source); }

private:
    std::vector<Policy> policies_;  ///< sorted by id
    DataSource source_;
};

/// One line, e.g. "cumulative training compute > 1e25 FLOP (counting pretraining, ...)".
std::string describeConditions(const Policy& policy);
/// The counting scope in words: "pretraining, fine-tuning, rl; non-public synthetic data".
std::string describeScope(const CountingScope& scope);
/// Status history in words: "2024-09-29 vetoed; ...".
std::string describeHistory(const Policy& policy);
/// Several lines for `policies show ID`.
std::string describePolicy(const Policy& policy);
/// The shipped-policy table of docs/policies.md (Markdown, one row per policy, ends in "\n").
std::string policyTableMarkdown(const PolicyCatalog& catalog);

}  // inline namespace v1
}  // namespace flopledger
