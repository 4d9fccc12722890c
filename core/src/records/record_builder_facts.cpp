// "facts": {"ID": true|false} on a model record: qualitative legal criteria the record declares
// (contract 7.5); a policy's declared-fact leaf tests them by id.
#include "records/record_builder.hpp"

namespace flopledger::inline v1::detail::rec {

void RecordBuilder::readFacts(const JsonNode& v, std::vector<DeclaredFact>& out) {
    expectObject(v, "facts");
    for (auto i = v.first; i != kNoNode; i = doc_.node(i).next) {
        const JsonNode& f = doc_.node(i);
        const std::string_view id = key(f);
        Field field(*this, id);
        try {
            DeclaredFact d;
            d.id = std::string(id);
            if (!validId(d.id))
                fail(ErrorCode::BadId, f,
                     "fact id " + quote(id) + " must match [a-z0-9][a-z0-9._/-]* (lower case)");
            d.value = readBool(f, id);
            for (const DeclaredFact& e : out)
                if (e.id == d.id)
                    fail(ErrorCode::JsonSyntax, f, "fact " + quote(id) + " appears twice");
            out.push_back(std::move(d));
        } catch (const Abort&) {
        }
    }
}

}  // namespace flopledger::detail::rec
