// SHA-256 through OpenSSL's libcrypto (EVP interface), and the data-source digest.
#include <flopledger/diagnostic.hpp>
#include <flopledger/manifest.hpp>

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <new>
#include <stdexcept>

namespace flopledger::inline v1 {
namespace {

EVP_MD_CTX* context(void* p) {
    return static_cast<EVP_MD_CTX*>(p);
}

void begin(EVP_MD_CTX* ctx) {
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("flopledger: SHA-256 initialisation failed");
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
    begin(context(ctx_));
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(context(ctx_));
}

void Sha256::update(std::string_view bytes) {
    if (!bytes.empty() && EVP_DigestUpdate(context(ctx_), bytes.data(), bytes.size()) != 1)
        throw std::runtime_error("flopledger: SHA-256 update failed");
}

std::string Sha256::hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context(ctx_), digest.data(), &size) != 1)
        throw std::runtime_error("flopledger: SHA-256 finalisation failed");
    begin(context(ctx_));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

std::string sha256Hex(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.hex();
}

std::string sha256File(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(ErrorCode::FileNotFound, path + ": cannot open to hash it");
    Sha256 h;
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        h.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) throw InputError(ErrorCode::FileNotFound, path + ": read error while hashing");
    return h.hex();
}

void DataDigest::add(std::string_view name, std::string_view bytes) {
    listing_ += sha256Hex(bytes);
    listing_ += "  ";
    listing_ += name;
    listing_ += '\n';
}

DataSource DataDigest::finish(std::string source) const {
    return DataSource{std::move(source), sha256Hex(listing_)};
}

}  // namespace flopledger
