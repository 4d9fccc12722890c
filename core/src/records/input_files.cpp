#include <flopledger/input_files.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace flopledger::inline v1 {
namespace {

Diagnostic error(ErrorCode code, const std::string& path, std::string message) {
    return Diagnostic{Severity::Error, code, path, 0, {}, std::move(message)};
}

Diagnostic openFailure(const std::string& path, int e, bool folder) {
    if (e == ENOENT || e == ENOTDIR)
        return error(ErrorCode::FileNotFound, path, "cannot open '" + path + "' for reading");
    return error(ErrorCode::Unreadable, path,
                 std::string("cannot read ") + (folder ? "folder" : "file") + " '" + path +
                     "': " + std::strerror(e));
}

}  // namespace

int inputTimeoutMs() {
    if (const char* v = std::getenv("FLOPLEDGER_INPUT_TIMEOUT_MS")) {
        char* end = nullptr;
        const long ms = std::strtol(v, &end, 10);
        if (end != v && *end == '\0' && ms > 0 && ms <= 86'400'000) return static_cast<int>(ms);
    }
    return 10'000;
}

int openInput(const std::string& path, int timeoutMs, std::vector<Diagnostic>& diags) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        diags.push_back(openFailure(path, errno, false));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        diags.push_back(error(ErrorCode::Unreadable, path, "'" + path + "' is a folder"));
        return -1;
    }
    const bool special = !S_ISREG(st.st_mode);
    // A FIFO opened for reading blocks until a writer appears: non-blocking, then poll.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (special ? O_NONBLOCK : 0));
    if (fd < 0) {
        diags.push_back(openFailure(path, errno, false));
        return -1;
    }
    if (special) {
        pollfd p{fd, POLLIN, 0};
        int n = 0;
        do {
            n = ::poll(&p, 1, timeoutMs);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            ::close(fd);
            diags.push_back(error(ErrorCode::InputTimeout, path,
                                  "no data from '" + path + "' within " +
                                      std::to_string(timeoutMs) + " ms (a FIFO with no writer?)"));
            return -1;
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }
    return fd;
}

bool readInput(const std::string& path, std::string& out, std::size_t maxBytes,
               std::vector<Diagnostic>& diags) {
    const int fd = openInput(path, inputTimeoutMs(), diags);
    if (fd < 0) return false;
    out.clear();
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        out.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), maxBytes + 1));
    // Read one byte past the limit so that the caller's size check fires.
    const std::size_t cap = maxBytes + 1;
    std::size_t chunk = std::size_t{1} << 16;
    while (out.size() < cap) {
        const std::size_t want = std::min(chunk, cap - out.size());
        const std::size_t at = out.size();
        out.resize(at + want);
        const ssize_t n = ::read(fd, out.data() + at, want);
        if (n < 0 && errno == EINTR) {
            out.resize(at);
            continue;
        }
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            out.clear();
            diags.push_back(openFailure(path, e == EISDIR ? e : (e == 0 ? EIO : e), false));
            return false;
        }
        out.resize(at + static_cast<std::size_t>(n));
        if (n == 0) break;
        chunk = std::min<std::size_t>(chunk * 2, std::size_t{1} << 24);
    }
    ::close(fd);
    return true;
}

bool listRecordFiles(const std::string& dir, std::vector<std::string>& files,
                     std::vector<Diagnostic>& diags) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        diags.push_back(openFailure(dir, ec.value(), true));
        return false;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::directory_entry& entry = *it;
        const auto ext = entry.path().extension().string();
        if (ext != ".json" && ext != ".jsonl") continue;
        const std::string name = entry.path().string();
        std::error_code sec, lec;
        const fs::file_status target = fs::status(entry.path(), sec);
        const bool link = fs::is_symlink(fs::symlink_status(entry.path(), lec));
        if (link && (sec || !fs::exists(target))) {
            const bool loop = sec.value() == ELOOP;
            diags.push_back(
                Diagnostic{Severity::Warning,
                           ErrorCode::SkippedEntry,
                           name,
                           0,
                           {},
                           "skipped '" + name +
                               "': " + (loop ? "symbolic link loop" : "dangling symbolic link")});
            continue;
        }
        if (sec) {
            diags.push_back(openFailure(name, sec.value(), false));
            continue;
        }
        if (fs::is_directory(target)) continue;
        files.push_back(name);
    }
    if (ec) {
        diags.push_back(openFailure(dir, ec.value(), true));
        return false;
    }
    std::sort(files.begin(), files.end());
    return true;
}

bool blankText(std::string_view text) {
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace flopledger
