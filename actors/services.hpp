#pragma once
// What actors need from the process that cannot travel in a message or a config: thread pools,
// tick shards, media openers. The binary provides them to the runtime before spawning; an actor
// looks them up by type in its constructor. Replay provides its own (offline) services through the
// actor registry, so the same actor code runs live and replayed.

#include <map>
#include <memory>
#include <mutex>
#include <typeindex>

namespace spence::actors {

class service_registry {
 public:
  service_registry() = default;
  service_registry(const service_registry& other) : services_(other.snapshot()) {}
  service_registry& operator=(const service_registry& other) {
    if (this != &other) {
      auto copy = other.snapshot();
      std::lock_guard lock(mutex_);
      services_ = std::move(copy);
    }
    return *this;
  }

  // Replaces any service of the same type.
  template <class T>
  void provide(std::shared_ptr<T> service) {
    std::lock_guard lock(mutex_);
    services_[std::type_index(typeid(T))] = std::move(service);
  }

  // Null when none was provided.
  template <class T>
  std::shared_ptr<T> find() const {
    std::lock_guard lock(mutex_);
    auto it = services_.find(std::type_index(typeid(T)));
    return it == services_.end() ? nullptr : std::static_pointer_cast<T>(it->second);
  }

 private:
  std::map<std::type_index, std::shared_ptr<void>> snapshot() const {
    std::lock_guard lock(mutex_);
    return services_;
  }

  mutable std::mutex mutex_;
  std::map<std::type_index, std::shared_ptr<void>> services_;
};

}  // namespace spence::actors
