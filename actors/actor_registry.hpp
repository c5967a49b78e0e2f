#pragma once
// The actor kinds a binary can rebuild from a trace: for each kind, how to spawn it from its
// recorded configuration and how to deliver a recorded message to it; and the services those kinds
// look up, in their offline form for replay.

#include "actors/actor.hpp"
#include "actors/message.hpp"

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <boost/system/result.hpp>

#include <functional>
#include <map>
#include <string>

namespace spence::actors {

class actor_registry {
 public:
  struct kind_ops {
    std::function<boost::system::result<void>(runtime&, const std::string& name, const boost::json::value& config)> spawn;
    std::function<boost::system::result<void>(actor_cell&, std::string_view type, const boost::json::value& payload)>
        deliver;
  };

  template <class Actor>
  void add() {
    using protocol = typename Actor::protocol;
    kinds_[std::string(Actor::kind)] = kind_ops{
        [](runtime& rt, const std::string& name, const boost::json::value& config) -> boost::system::result<void> {
          auto c = boost::json::try_value_to<typename Actor::config>(config);
          if (!c) return make_error_code(errc::trace_malformed);
          auto r = rt.spawn<Actor>(name, std::move(*c));
          if (!r) return r.error();
          return {};
        },
        [](actor_cell& cell, std::string_view type, const boost::json::value& payload) -> boost::system::result<void> {
          auto* typed = dynamic_cast<typed_cell<protocol>*>(&cell);
          if (typed == nullptr) return make_error_code(errc::unknown_message);
          auto m = protocol_codec<protocol>::decode(type, payload);
          if (!m) return m.error();
          typed->box().force_push(std::move(*m));
          return {};
        }};
  }

  // Given to the replay runtime before any actor is rebuilt.
  service_registry& services() { return services_; }
  const service_registry& services() const { return services_; }

  const kind_ops* find(const std::string& kind) const {
    auto it = kinds_.find(kind);
    return it == kinds_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, kind_ops> kinds_;
  service_registry services_;
};

}  // namespace spence::actors
