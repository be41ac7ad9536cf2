# Finds Eigen (>= 3.4) and {fmt} (>= 9).
#
# The versions are checked by hand rather than with a version range in find_package():
# Eigen's package version file only accepts requests within the same major version, so a
# `find_package(Eigen3 3.4)` would wrongly reject a newer major release (Eigen 5), and a
# range cannot express "at least" for both packages across the CMake versions we support.
# Used both by our own CMakeLists.txt and (as a copy of the same logic) by nnfsConfig.cmake.

set(NNFS_MIN_EIGEN_VERSION 3.4)
set(NNFS_MIN_FMT_VERSION 9)

if(NOT TARGET Eigen3::Eigen)
  find_package(Eigen3 REQUIRED NO_MODULE)
endif()
if(DEFINED Eigen3_VERSION AND Eigen3_VERSION VERSION_LESS NNFS_MIN_EIGEN_VERSION)
  message(FATAL_ERROR "nnfs needs Eigen >= ${NNFS_MIN_EIGEN_VERSION}, found ${Eigen3_VERSION}")
endif()

if(NOT TARGET fmt::fmt)
  find_package(fmt REQUIRED)
endif()
if(DEFINED fmt_VERSION AND fmt_VERSION VERSION_LESS NNFS_MIN_FMT_VERSION)
  message(FATAL_ERROR "nnfs needs {fmt} >= ${NNFS_MIN_FMT_VERSION}, found ${fmt_VERSION}")
endif()
