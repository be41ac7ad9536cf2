# cmake -DEXE=... -DARGS=a;b -DEXPECTED=file -DWORKDIR=dir -DEXACT_LINES=N
#       [-DFINAL_ACC=min:max] [-DFINAL_LOSS=min:max] [-DVAL_ACC=min:max] [-DVAL_LOSS=min:max]
#       [-DLINES=regex] [-DPREFIX=ON] -P check_training.cmake
#
# Checks a training example's output against the Python program's (tests/data/training/):
#  - with LINES, only the output lines matching that regex are compared (the expected file
#    holds only those: the training lines of a program that prints more);
#  - the first EXACT_LINES lines are identical (book numerics reproduce short runs exactly;
#    EXACT_LINES=all for programs that must match entirely); with PREFIX, that is all: the
#    program was run for fewer epochs than the expected file's, and ends differently;
#  - there are as many lines, every progress line (epoch, step or the epoch's `training, …`
#    summary) is for the same epoch or step and prints the same learning rate, to the last digit;
#  - the last epoch's accuracy/loss (its `training, …` line in mini-batch runs) and the last
#    validation accuracy/loss lie in the given bands (10 000-epoch runs are chaotic: one ulp
#    early on changes the third decimal at the end).
# Standard error (the example's timing line) is shown but not compared.
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
execute_process(COMMAND "${EXE}" ${ARGS} WORKING_DIRECTORY "${WORKDIR}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(WRITE "${WORKDIR}/actual.txt" "${out}")
if(NOT err STREQUAL "")
  message(STATUS "stderr: ${err}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}\nstderr:\n${err}")
endif()
file(READ "${EXPECTED}" expected)

# One list element per line (no line contains a ';').
string(REGEX REPLACE "\n$" "" out_trim "${out}")
string(REGEX REPLACE "\n$" "" exp_trim "${expected}")
string(REPLACE "\n" ";" out_lines "${out_trim}")
string(REPLACE "\n" ";" exp_lines "${exp_trim}")
if(DEFINED LINES AND NOT LINES STREQUAL "")
  list(FILTER out_lines INCLUDE REGEX "${LINES}")
endif()
list(LENGTH out_lines n_out)
list(LENGTH exp_lines n_exp)
if(PREFIX)
  if(n_out LESS EXACT_LINES)
    message(FATAL_ERROR "${n_out} lines printed, at least ${EXACT_LINES} expected (${WORKDIR}/actual.txt)")
  endif()
  set(n_exp ${EXACT_LINES})
elseif(NOT n_out EQUAL n_exp)
  message(FATAL_ERROR "${n_out} lines printed, ${n_exp} expected (actual output: ${WORKDIR}/actual.txt)")
endif()
if(EXACT_LINES STREQUAL "all")
  set(EXACT_LINES ${n_exp})
endif()

math(EXPR last "${n_exp} - 1")
set(final_epoch_line "")
set(validation_line "")
foreach(i RANGE 0 ${last})
  list(GET out_lines ${i} a)
  list(GET exp_lines ${i} e)
  if(i LESS EXACT_LINES AND NOT a STREQUAL e)
    math(EXPR lineno "${i} + 1")
    message(FATAL_ERROR "line ${lineno} differs (the first ${EXACT_LINES} lines must be identical)\n"
                        "expected: ${e}\nactual:   ${a}")
  endif()
  set(progress "^((epoch|step): [0-9]+|training),.* lr: ([^ ]+)$")
  if(e MATCHES "${progress}")
    set(e_what "${CMAKE_MATCH_1}")
    set(e_lr "${CMAKE_MATCH_3}")
    if(NOT a MATCHES "${progress}" OR NOT CMAKE_MATCH_1 STREQUAL e_what OR NOT CMAKE_MATCH_3 STREQUAL e_lr)
      message(FATAL_ERROR "progress line differs in epoch, step or learning rate\nexpected: ${e}\nactual:   ${a}")
    endif()
    if(NOT e_what MATCHES "^step")
      set(final_epoch_line "${a}")
    endif()
  elseif(e MATCHES "^validation")
    set(validation_line "${a}")
  endif()
endforeach()

function(check_band name value band)
  if(band STREQUAL "")
    return()
  endif()
  string(REPLACE ":" ";" bounds "${band}")
  list(GET bounds 0 lo)
  list(GET bounds 1 hi)
  if(value LESS lo OR value GREATER hi)
    message(FATAL_ERROR "${name} = ${value} is outside [${lo}, ${hi}]")
  endif()
  message(STATUS "${name} = ${value} in [${lo}, ${hi}]")
endfunction()

if(final_epoch_line MATCHES "acc: ([0-9.]+), loss: ([0-9.]+)")
  check_band("final accuracy" "${CMAKE_MATCH_1}" "${FINAL_ACC}")
  check_band("final loss" "${CMAKE_MATCH_2}" "${FINAL_LOSS}")
elseif(NOT FINAL_ACC STREQUAL "" OR NOT FINAL_LOSS STREQUAL "")
  message(FATAL_ERROR "no progress line to check the final bands on")
endif()
if(validation_line MATCHES "acc: ([0-9.]+), loss: ([0-9.]+)")
  check_band("validation accuracy" "${CMAKE_MATCH_1}" "${VAL_ACC}")
  check_band("validation loss" "${CMAKE_MATCH_2}" "${VAL_LOSS}")
elseif(NOT VAL_ACC STREQUAL "" OR NOT VAL_LOSS STREQUAL "")
  message(FATAL_ERROR "no validation line to check the bands on")
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
message(STATUS "output agrees with ${EXPECTED}")
