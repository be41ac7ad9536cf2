# consumer.install: `cmake --install` of the nnfs build tree into a fresh PREFIX, then checks
# the installed layout. Usage:
#   cmake -DBUILD_DIR=<nnfs build> -DSOURCE_DIR=<nnfs source> -DPREFIX=<prefix> [-DCONFIG=<cfg>]
#         -P check_install.cmake
cmake_minimum_required(VERSION 3.16)

foreach(var BUILD_DIR SOURCE_DIR PREFIX)
  if(NOT ${var})
    message(FATAL_ERROR "check_install.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")  # no files left over from an earlier run
unset(ENV{DESTDIR})               # install exactly into PREFIX
set(install_cmd "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}")
if(CONFIG)
  list(APPEND install_cmd --config "${CONFIG}")
endif()
execute_process(COMMAND ${install_cmd} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()

set(problems "")

# Every public header, and the package files.
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/nnfs/*.hpp")
if(NOT headers)
  list(APPEND problems "no headers under ${SOURCE_DIR}/include/nnfs")
endif()
set(expected "")
foreach(header IN LISTS headers)
  list(APPEND expected "include/${header}")
endforeach()
list(APPEND expected
  share/cmake/nnfs/nnfsConfig.cmake
  share/cmake/nnfs/nnfsConfigVersion.cmake
  share/cmake/nnfs/nnfsTargets.cmake
  share/pkgconfig/nnfs.pc)
foreach(file IN LISTS expected)
  if(NOT EXISTS "${PREFIX}/${file}")
    list(APPEND problems "missing ${file}")
  endif()
endforeach()

# Header-only: the version file must accept consumers built for any pointer size
# (write_basic_package_version_file(... ARCH_INDEPENDENT)). Load it as find_package() would,
# from a "project" whose pointers are 2 bytes wide, and see that it does not object.
function(check_arch_independent version_file)
  set(CMAKE_SIZEOF_VOID_P 2)
  set(PACKAGE_VERSION_UNSUITABLE FALSE)
  include("${version_file}")
  if(PACKAGE_VERSION_UNSUITABLE)
    set(problems ${problems} "nnfsConfigVersion.cmake rejects other architectures (not ARCH_INDEPENDENT)"
        PARENT_SCOPE)
  endif()
endfunction()
set(version_file "${PREFIX}/share/cmake/nnfs/nnfsConfigVersion.cmake")
if(COMPILED)
  # The compiled mode's static library is there, and the package says it is for this architecture.
  file(GLOB archive "${PREFIX}/lib*/libnnfs_compiled.a" "${PREFIX}/lib*/*/libnnfs_compiled.a" "${PREFIX}/lib*/nnfs_compiled.lib")
  if(NOT archive)
    list(APPEND problems "missing the static library of nnfs::compiled under ${PREFIX}/lib*")
  endif()
elseif(EXISTS "${version_file}")
  check_arch_independent("${version_file}")
endif()

# Relocatable: no installed package file may name the source, build or install directory.
file(GLOB_RECURSE package_files "${PREFIX}/share/*")
foreach(file IN LISTS package_files)
  file(READ "${file}" text)
  foreach(dir SOURCE_DIR BUILD_DIR PREFIX)
    string(FIND "${text}" "${${dir}}" pos)
    if(NOT pos EQUAL -1)
      list(APPEND problems "${file} contains the absolute path ${${dir}}")
    endif()
  endforeach()
endforeach()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "install into ${PREFIX} is incomplete:\n  ${text}")
endif()
list(LENGTH expected count)
message(STATUS "install into ${PREFIX}: ${count} expected files present, package files relocatable")
