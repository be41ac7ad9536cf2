# cmake -DEXE=... -DARGS=a;b [-DWORKDIR=dir] -DERROR=regex -P check_error_exit.cmake
#
# The example must fail the way examples/example_main.hpp makes it fail: exit status 1 (an
# uncaught exception would abort instead) with a message on standard error matching ERROR.
if(WORKDIR STREQUAL "")
  set(WORKDIR "${CMAKE_CURRENT_BINARY_DIR}")
endif()
execute_process(COMMAND "${EXE}" ${ARGS} WORKING_DIRECTORY "${WORKDIR}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc STREQUAL "1")
  message(FATAL_ERROR "${EXE} ended with '${rc}', not status 1\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err MATCHES "${ERROR}")
  message(FATAL_ERROR "${EXE}'s standard error does not match '${ERROR}':\n${err}")
endif()
message(STATUS "${EXE} failed cleanly: ${err}")
