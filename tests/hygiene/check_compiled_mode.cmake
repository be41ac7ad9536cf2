# cmake -DNM=<nm> -DCONTROL=<object> -DUNIT=<object> -P check_compiled_mode.cmake
# The library's instances whose code a program in the compiled mode must not define (nm
# --defined-only, demangled, function symbols): CONTROL (header-only) defines each of them, UNIT
# (linked with nnfs::compiled) none.
foreach(var NM CONTROL UNIT)
  if(NOT ${var})
    message(FATAL_ERROR "check_compiled_mode.cmake: -D${var}=... is required")
  endif()
endforeach()

# (Small members that the optimizer inlines, e.g. ReLU::backward, may still be compiled in the
# unit: C++ lets a compiler instantiate an inline function for inlining despite `extern template`.)
set(instances
  "nnfs::Model<float>::finalize"
  "nnfs::Model<float>::forward"
  "nnfs::detail::ModelTraining<float>::train"
  "nnfs::detail::ModelTraining<float>::predict"
  "nnfs::LayerOf<nnfs::Dense<float> >::"
  "nnfs::LayerOf<nnfs::ReLU<float> >::"
  "nnfs::Dense<float>::check_parameters"
  "nnfs::Dropout<float>::forward<"
  "nnfs::CategoricalCrossentropy<float>::forward<")

function(defined_symbols object out)
  execute_process(COMMAND "${NM}" -C --defined-only "${object}"
    OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}: ${err}")
  endif()
  # Code only (T/t/W/w: functions), not data: a weak typeinfo object may name a member of an
  # instance in its type (clang emits such for a lambda's iterator), without its code.
  string(REGEX MATCHALL "\n[0-9a-fA-F]+ [TtWw] [^\n]*" code "\n${text}")
  set(${out} "${code}" PARENT_SCOPE)
endfunction()

defined_symbols("${CONTROL}" control)
defined_symbols("${UNIT}" unit)
set(problems "")
foreach(instance IN LISTS instances)
  string(FIND "${control}" "${instance}" in_control)
  if(in_control EQUAL -1)
    list(APPEND problems "the header-only control does not define ${instance}: this check no longer tests anything for it")
  endif()
  string(FIND "${unit}" "${instance}" in_unit)
  if(NOT in_unit EQUAL -1)
    list(APPEND problems "the compiled-mode unit defines ${instance} (it should come from nnfs::compiled)")
  endif()
endforeach()
if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "compiled mode:\n  ${text}")
endif()
list(LENGTH instances count)
message(STATUS "compiled mode: ${count} of the library's instances are defined header-only and not in the compiled-mode unit")
