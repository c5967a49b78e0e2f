#include "net/voice/voice_gateway_error.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace spence::net {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.voice_gateway"; }
  std::string message(int ev) const override {
    switch (static_cast<voice_gateway_errc>(ev)) {
      case voice_gateway_errc::bad_json: return "bad JSON";
      case voice_gateway_errc::not_an_object: return "not a JSON object";
      case voice_gateway_errc::missing_field: return "missing field";
      case voice_gateway_errc::wrong_type: return "wrong type";
      case voice_gateway_errc::out_of_range: return "value out of range";
      case voice_gateway_errc::bad_length: return "array of the wrong length";
      case voice_gateway_errc::truncated: return "binary frame shorter than its header";
    }
    return "unknown spence.voice_gateway error";
  }
};

}  // namespace

const boost::system::error_category& voice_gateway_category() noexcept {
  static const category instance;
  return instance;
}

std::string voice_gateway_error::message() const {
  return field.empty() ? code.message() : code.message() + " " + field;
}

void throw_exception_from_error(const voice_gateway_error& e, const boost::source_location& where) {
  boost::throw_exception(boost::system::system_error(e.code, e.field), where);
}

}  // namespace spence::net
