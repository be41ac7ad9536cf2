# cmake -DEXE=... -DARGS=a;b -DEXPECTED=file -DWORKDIR=dir [-DFILES=f1;f2] -P check_output.cmake
# Runs EXE with ARGS in a fresh WORKDIR and fails unless its standard output equals EXPECTED
# byte for byte, it exits with 0 and writes nothing to standard error, and every FILES entry
# was created (non-empty).
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
execute_process(
  COMMAND "${EXE}" ${ARGS}
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}\nstderr:\n${err}\nstdout:\n${out}")
endif()
if(NOT err STREQUAL "")
  message(FATAL_ERROR "${EXE} wrote to stderr:\n${err}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT out STREQUAL expected)
  file(WRITE "${WORKDIR}/actual.txt" "${out}")
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual (${WORKDIR}/actual.txt)\n${out}")
endif()
foreach(f IN LISTS FILES)
  if(NOT EXISTS "${WORKDIR}/${f}")
    message(FATAL_ERROR "${EXE} did not write ${f}")
  endif()
  file(SIZE "${WORKDIR}/${f}" size)
  if(size EQUAL 0)
    message(FATAL_ERROR "${EXE} wrote an empty ${f}")
  endif()
endforeach()
message(STATUS "output matches ${EXPECTED}")
