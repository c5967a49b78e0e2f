// Beast is compiled once, here (BOOST_BEAST_SEPARATE_COMPILATION is set for spence_net and what
// links it), as Asio is in actors/asio_impl.cpp.
#include <boost/beast/src.hpp>
