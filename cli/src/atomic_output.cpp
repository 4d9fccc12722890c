#include <flopledger_cli/atomic_output.hpp>

#include <flopledger/diagnostic.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <ostream>

namespace flopledger::cli {
namespace {

// Temporary paths the signal handler must remove. Fixed-size slots of plain chars so that the
// handler only touches async-signal-safe state.
constexpr std::size_t kSlots = 8;
constexpr std::size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> gPending{};
std::array<std::atomic<bool>, kSlots> gUsed{};

int registerPending(const std::string& path) {
    if (path.size() >= kPathMax) {
        return -1;
    }
    for (std::size_t i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (gUsed[i].compare_exchange_strong(expected, true)) {
            std::memcpy(gPending[i].data(), path.c_str(), path.size() + 1);
            return static_cast<int>(i);
        }
    }
    return -1;
}

void unregisterPending(int slot) {
    if (slot >= 0) {
        gUsed[static_cast<std::size_t>(slot)].store(false);
    }
}

extern "C" void cleanupAndExit(int sig) {
    for (std::size_t i = 0; i < kSlots; ++i) {
        if (gUsed[i].load()) {
            ::unlink(gPending[i].data());
        }
    }
    ::_exit(128 + sig);
}

std::string directoryOf(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseName(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

struct AtomicOutput::Impl {
    std::string tempPath;
    int fd = -1;
    int slot = -1;
    std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buf;
    std::unique_ptr<std::ostream> stream;
    bool committed = false;
};

AtomicOutput::AtomicOutput(std::string path, std::ostream& fallback)
    : path_(path == "-" ? std::string() : std::move(path)), fallback_(fallback) {
    if (path_.empty()) {
        return;
    }
    impl_ = std::make_unique<Impl>();
    std::string templ = directoryOf(path_) + "/." + baseName(path_) + ".tmp.XXXXXX";
    impl_->fd = ::mkstemp(templ.data());
    if (impl_->fd < 0) {
        throw InputError(ErrorCode::FileWrite,
                         "cannot write '" + path_ + "': " + std::strerror(errno));
    }
    impl_->tempPath = templ;
    impl_->slot = registerPending(templ);
    // Reports are ordinary files: honour the umask like any other output (mkstemp uses 0600).
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(impl_->fd, 0666 & ~mask);
    impl_->buf = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(impl_->fd, std::ios::out,
                                                                  std::size_t(1) << 16);
    impl_->stream = std::make_unique<std::ostream>(impl_->buf.get());
}

AtomicOutput::~AtomicOutput() {
    if (impl_ && !impl_->committed) {
        discard();
    }
}

std::ostream& AtomicOutput::stream() {
    return impl_ ? *impl_->stream : fallback_;
}

void AtomicOutput::commit() {
    if (!impl_) {
        fallback_.flush();
        if (!fallback_) {
            throw InputError(ErrorCode::FileWrite, "cannot write to standard output");
        }
        return;
    }
    impl_->stream->flush();
    bool ok = static_cast<bool>(*impl_->stream);
    ok = ok && impl_->buf->close() != nullptr;  // closes the descriptor too
    impl_->fd = -1;
    if (!ok || ::rename(impl_->tempPath.c_str(), path_.c_str()) != 0) {
        int e = errno;
        ::unlink(impl_->tempPath.c_str());
        unregisterPending(impl_->slot);
        impl_->committed = true;  // nothing left to clean up
        throw InputError(ErrorCode::FileWrite, "cannot write '" + path_ + "': " + std::strerror(e));
    }
    unregisterPending(impl_->slot);
    impl_->committed = true;
}

void AtomicOutput::discard() {
    if (!impl_ || impl_->committed) {
        return;
    }
    if (impl_->buf) {
        impl_->buf->close();
    }
    ::unlink(impl_->tempPath.c_str());
    unregisterPending(impl_->slot);
    impl_->committed = true;
}

void installCleanupHandlers() {
    struct sigaction sa {};
    sa.sa_handler = cleanupAndExit;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        ::sigaction(sig, &sa, nullptr);
    }
}

}  // namespace flopledger::cli
