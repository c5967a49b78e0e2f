# Two cores build everything: reuse what can be reused.
# - ccache when installed (with the sloppiness precompiled headers need),
# - precompiled headers per library (see spence_precompile in dependencies.cmake),
# - Asio and Beast compiled once (BOOST_ASIO_SEPARATE_COMPILATION, actors/asio_impl.cpp).
find_program(SPENCE_CCACHE ccache)
if(SPENCE_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      ${SPENCE_CCACHE})
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Precompiled headers carry a timestamp by default, which defeats ccache.
  add_compile_options(-Xclang -fno-pch-timestamp)
  find_program(SPENCE_LLD NAMES ld.lld-19 ld.lld)
  if(SPENCE_LLD)
    add_link_options(-fuse-ld=lld)
  endif()
endif()
