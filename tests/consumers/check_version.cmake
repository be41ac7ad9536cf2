# consumer.find_package_version: find_package(nnfs 9.9) must reject the installed nnfs (whose
# version is VERSION) because of its version, not because it is missing. The accepting case,
# find_package(nnfs 0.1), is consumer.find_package. Runs in script mode: a rejected package's
# config file is never loaded, so no project is needed. Usage:
#   cmake -DPREFIX=<install prefix> -DVERSION=<nnfs version> -P check_version.cmake
cmake_minimum_required(VERSION 3.16)

find_package(nnfs 9.9 CONFIG QUIET PATHS "${PREFIX}" NO_DEFAULT_PATH)
if(nnfs_FOUND)
  message(FATAL_ERROR "find_package(nnfs 9.9) accepted nnfs ${nnfs_VERSION} from ${nnfs_DIR}")
endif()
if(NOT "${VERSION}" IN_LIST nnfs_CONSIDERED_VERSIONS)
  message(FATAL_ERROR "find_package(nnfs 9.9) did not even consider the installed nnfs ${VERSION} "
                      "under ${PREFIX} (considered: '${nnfs_CONSIDERED_CONFIGS}')")
endif()
message(STATUS "find_package(nnfs 9.9) rejects the installed nnfs ${VERSION}, as it should")
