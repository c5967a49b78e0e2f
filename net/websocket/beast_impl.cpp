// Beast is compiled once, here (BOOST_BEAST_SEPARATE_COMPILATION is set for spence_net and what
// links it), as Asio is in actors/asio_impl.cpp; so is Asio's SSL support, which only net/ uses.
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
