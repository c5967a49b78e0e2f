# Every dependency is a Debian bookworm package installed by scripts/install-deps.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json system url)
find_package(OpenSSL 3.0 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(opus REQUIRED IMPORTED_TARGET opus)
pkg_check_modules(ogg REQUIRED IMPORTED_TARGET ogg)
pkg_check_modules(samplerate REQUIRED IMPORTED_TARGET samplerate)
pkg_check_modules(mpg123 REQUIRED IMPORTED_TARGET libmpg123)
pkg_check_modules(curl REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(soundtouch REQUIRED IMPORTED_TARGET soundtouch)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(tomlplusplus REQUIRED IMPORTED_TARGET tomlplusplus)

# Flags every translation unit that includes Asio must share.
add_library(spence_boost_config INTERFACE)
target_compile_definitions(spence_boost_config INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_BOOST_COROUTINE
  SPDLOG_FMT_EXTERNAL)
target_link_libraries(spence_boost_config INTERFACE
  Boost::headers Boost::json Boost::system Threads::Threads)

# The heavy headers, parsed once per target.
function(spence_precompile target)
  target_precompile_headers(${target} PRIVATE
    <boost/asio.hpp> <boost/json.hpp> <boost/describe.hpp>
    <variant> <string> <vector> <memory> <chrono> <functional>)
endfunction()
