# Compile settings for nnfs's *own* targets (tests, examples, benchmarks). Never added to the
# installed interface: consumers choose their own flags. Eigen and {fmt} come in through
# imported targets, whose include directories are SYSTEM, so their warnings stay out.

# Sanitizers for our own targets only, as a -fsanitize= list: e.g. "address,undefined" (the
# asan-ubsan preset). Empty: none. Never part of nnfs::nnfs, so an installed nnfs and the nested
# consumer builds of tests/consumers/ are unaffected.
set(NNFS_SANITIZE "" CACHE STRING
  "Sanitizers for nnfs's own tests and examples, as in -fsanitize=<list> (e.g. address,undefined); empty for none")
if(NNFS_SANITIZE AND NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(FATAL_ERROR "NNFS_SANITIZE=${NNFS_SANITIZE} needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
endif()

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
    if(NNFS_SANITIZE)
      # Every report is fatal (no recovery): the process exits non-zero and the test fails.
      target_compile_options(${target} PRIVATE
        -fsanitize=${NNFS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
      target_link_options(${target} PRIVATE -fsanitize=${NNFS_SANITIZE})
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(NNFS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  endif()
endfunction()
