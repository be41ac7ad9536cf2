# Included by the consumer projects that add nnfs's source tree to their own build
# (add_subdirectory, FetchContent): nnfs is not the top-level project there, so it must not add
# its test suite (which would need Catch2) nor its examples to the user's build.
foreach(target nnfs_tests nnfs_io_tests 11_full_forward_pass)
  if(TARGET ${target})
    message(FATAL_ERROR "nnfs added its target '${target}' to a project that only uses the library")
  endif()
endforeach()
if(NNFS_BUILD_TESTS OR NNFS_BUILD_EXAMPLES)
  message(FATAL_ERROR "nnfs defaults NNFS_BUILD_TESTS/NNFS_BUILD_EXAMPLES to ON in a project that uses it")
endif()
