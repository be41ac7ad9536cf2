# consumer.pkg_config: the installed nnfs.pc, used the way a Makefile would use it:
#   c++ -std=c++17 $(pkg-config --cflags nnfs) consumer.cpp $(pkg-config --libs nnfs)
# Usage:
#   cmake -DPKG_CONFIG=<pkg-config> -DCXX=<c++> -DPREFIX=<install prefix> -DVERSION=<version>
#         -DSOURCE=<consumer.cpp> -DOUT_DIR=<scratch dir> -P check_pkg_config.cmake
cmake_minimum_required(VERSION 3.16)

if(DEFINED ENV{PKG_CONFIG_PATH} AND NOT "$ENV{PKG_CONFIG_PATH}" STREQUAL "")
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig:$ENV{PKG_CONFIG_PATH}")
else()
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
endif()

function(pkg_config out)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} nnfs
    RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} nnfs failed (${rc}):\n${stderr}")
  endif()
  message(STATUS "pkg-config ${ARGN} nnfs: ${stdout}")
  set(${out} "${stdout}" PARENT_SCOPE)
endfunction()

pkg_config(modversion --modversion)
if(NOT modversion STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config reports nnfs ${modversion}, the build is ${VERSION}")
endif()

pkg_config(cflags --cflags)
pkg_config(libs --libs)
separate_arguments(cflags UNIX_COMMAND "${cflags}")
separate_arguments(libs UNIX_COMMAND "${libs}")

# The -I for nnfs must be the install's include directory (not a build or source path).
get_filename_component(want "${PREFIX}/include" REALPATH)
set(found FALSE)
foreach(flag IN LISTS cflags)
  if(flag MATCHES "^-I(.+)$")
    get_filename_component(dir "${CMAKE_MATCH_1}" REALPATH)
    if(dir STREQUAL want)
      set(found TRUE)
    endif()
  endif()
endforeach()
if(NOT found)
  message(FATAL_ERROR "pkg-config --cflags nnfs has no -I for ${want}: ${cflags}")
endif()

file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")
set(exe "${OUT_DIR}/consumer")
execute_process(COMMAND "${CXX}" -std=c++17 -O1 ${cflags} "${SOURCE}" -o "${exe}" ${libs}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with the pkg-config flags failed (${rc})")
endif()
execute_process(COMMAND "${exe}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${exe} failed (${rc})")
endif()
