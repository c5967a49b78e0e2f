# -Wall -Wextra -Werror on project code only; Boost and the other dependencies are system headers.
function(spence_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
endfunction()
