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
#include <cstdlib>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <ostream>

namespace flopledger::inline v1::cli {
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

[[noreturn]] void writeError(const std::string& path, const std::string& why) {
    throw InputError(ErrorCode::FileWrite, "cannot write '" + path + "': " + why);
}

// The file a path finally names: symbolic links are followed (a report written "through" a
// link replaces the link's target, as a shell redirection would), at most 40 of them.
std::string resolveLinks(const std::string& path) {
    std::string p = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            return p;
        }
        std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
        const ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
        if (n < 0) {
            writeError(path, std::strerror(errno));
        }
        target.resize(static_cast<std::size_t>(n));
        p = !target.empty() && target.front() == '/' ? target : directoryOf(p) + "/" + target;
    }
    writeError(path, std::strerror(ELOOP));
}

}  // namespace

struct AtomicOutput::Impl {
    std::string target;   ///< the path with symbolic links followed
    bool device = false;  ///< a character/block device, FIFO or socket: written through
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
    impl_->target = resolveLinks(path_);
    struct stat st {};
    if (::stat(impl_->target.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            writeError(path_, "it is a directory");
        }
        // Renaming over a device node or FIFO would replace it with a regular file (as root,
        // /dev/null itself): those are written through instead, once the report is complete.
        impl_->device = !S_ISREG(st.st_mode);
    }
    std::string templ;
    if (impl_->device) {
        // The report is staged in an unnamed temporary file, then copied at commit(), so a
        // failed run still writes nothing.
        const char* tmp = std::getenv("TMPDIR");
        templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/flopledger.XXXXXX";
    } else {
        templ = directoryOf(impl_->target) + "/." + baseName(impl_->target) + ".tmp.XXXXXX";
    }
    impl_->fd = ::mkstemp(templ.data());
    if (impl_->fd < 0) {
        writeError(path_, std::strerror(errno));
    }
    if (impl_->device) {
        ::unlink(templ.c_str());  // unnamed: nothing to clean up
        templ.clear();
    }
    impl_->tempPath = templ;
    impl_->slot = impl_->device ? -1 : registerPending(templ);
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
    if (impl_->device) {
        commitDevice();
        return;
    }
    bool ok = static_cast<bool>(*impl_->stream);
    ok = ok && impl_->buf->close() != nullptr;  // closes the descriptor too
    impl_->fd = -1;
    if (!ok || ::rename(impl_->tempPath.c_str(), impl_->target.c_str()) != 0) {
        int e = errno;
        ::unlink(impl_->tempPath.c_str());
        unregisterPending(impl_->slot);
        impl_->committed = true;  // nothing left to clean up
        writeError(path_, std::strerror(e));
    }
    unregisterPending(impl_->slot);
    impl_->committed = true;
}

void AtomicOutput::commitDevice() {
    impl_->committed = true;
    if (!*impl_->stream) {
        impl_->buf->close();
        writeError(path_, "the staged report could not be written");
    }
    const int in = impl_->fd;
    // A FIFO without a reader would block open() forever: O_NONBLOCK makes that ENXIO.
    const int out = ::open(impl_->target.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (out < 0) {
        const int e = errno;
        impl_->buf->close();
        writeError(path_, e == ENXIO ? std::string("a FIFO with no reader") : std::strerror(e));
    }
    ::fcntl(out, F_SETFL, ::fcntl(out, F_GETFL) & ~O_NONBLOCK);
    bool ok = ::lseek(in, 0, SEEK_SET) == 0;
    std::array<char, 1 << 16> chunk{};
    int e = 0;
    while (ok) {
        const ssize_t n = ::read(in, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ok = n == 0;
            e = errno;
            break;
        }
        for (ssize_t done = 0; ok && done < n;) {
            const ssize_t w = ::write(out, chunk.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) {
                continue;
            }
            ok = w > 0;
            e = errno;
            done += w > 0 ? w : 0;
        }
    }
    ::close(out);
    impl_->buf->close();
    impl_->fd = -1;
    if (!ok) {
        writeError(path_, std::strerror(e != 0 ? e : EIO));
    }
}

void AtomicOutput::discard() {
    if (!impl_ || impl_->committed) {
        return;
    }
    if (impl_->buf) {
        impl_->buf->close();
    }
    if (!impl_->tempPath.empty()) {
        ::unlink(impl_->tempPath.c_str());
    }
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
