# Compile settings for nnfs's *own* targets (tests, examples, benchmarks). Never added to the
# installed interface: consumers choose their own flags. Eigen and {fmt} come in through
# imported targets, whose include directories are SYSTEM, so their warnings stay out.
function(nnfs_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    # The examples and golden tests compare against NumPy digit for digit; a fused
    # multiply-add (which GCC forms by default on targets that have one, e.g. aarch64)
    # rounds once where NumPy's a*b+c rounds twice.
    target_compile_options(${target} PRIVATE -ffp-contract=off)
    if(NNFS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(NNFS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  endif()
endfunction()
