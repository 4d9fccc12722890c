#pragma once
// Private: an optional without zero-filling. GCC zero-fills std::optional's storage when one
// is constructed empty (its union has a constructor), a cost per object that grows with the
// type: kilobytes for a Shape or a Forward of LazyRationals. A Slot leaves its storage
// uninitialised until emplace constructs the value in it.
#include <new>
#include <utility>

namespace flopledger::inline v1::detail {

template <class T>
class Slot {
public:
    Slot() noexcept {}  // NOLINT(modernize-use-equals-default): `= default` would zero-fill
    ~Slot() { reset(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

    /// Constructs the value from `args` (replacing any value held).
    template <class... Args>
    T& emplace(Args&&... args) {
        reset();
        ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
        engaged_ = true;
        return **this;
    }
    /// Default-initialises the value (T's default member initialisers run; no zero-fill).
    T& emplaceDefault() {
        reset();
        ::new (static_cast<void*>(storage_)) T;
        engaged_ = true;
        return **this;
    }
    void reset() noexcept {
        if (engaged_) {
            (**this).~T();
            engaged_ = false;
        }
    }

    explicit operator bool() const noexcept { return engaged_; }
    T& operator*() noexcept { return *std::launder(reinterpret_cast<T*>(storage_)); }
    const T& operator*() const noexcept {
        return *std::launder(reinterpret_cast<const T*>(storage_));
    }
    T* operator->() noexcept { return &**this; }
    const T* operator->() const noexcept { return &**this; }

private:
    alignas(T) unsigned char storage_[sizeof(T)];
    bool engaged_ = false;
};

}  // namespace flopledger::inline v1::detail
