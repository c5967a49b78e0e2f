// Asio is compiled once, here (BOOST_ASIO_SEPARATE_COMPILATION is set for every target), instead
// of in every translation unit that includes it: on two cores that halves incremental builds.
#include <boost/asio/impl/src.hpp>
