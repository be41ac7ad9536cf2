# Install rules: headers, the exported target set, a relocatable package config with an
# architecture-independent version file (nnfs is header-only), and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NNFS_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/cmake/nnfs")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/nnfs"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
# INCLUDES DESTINATION gives the installed target its include directory, so it always matches
# where the headers went (even with a non-default CMAKE_INSTALL_INCLUDEDIR).
install(TARGETS nnfs EXPORT nnfsTargets INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
if(NNFS_HAVE_IO)
  install(TARGETS nnfs_io EXPORT nnfsTargets)
endif()
if(TARGET nnfs_compiled)
  install(TARGETS nnfs_compiled EXPORT nnfsTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
endif()
if(NNFS_HAVE_OPENMP)
  install(TARGETS nnfs_openmp EXPORT nnfsTargets)
endif()
install(EXPORT nnfsTargets
        NAMESPACE nnfs::
        FILE nnfsTargets.cmake
        DESTINATION "${NNFS_CMAKE_INSTALL_DIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/nnfsConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/nnfsConfig.cmake"
  INSTALL_DESTINATION "${NNFS_CMAKE_INSTALL_DIR}")

# Header-only, the package suits any architecture; with the compiled mode's static library it
# suits only the one it was built for.
if(TARGET nnfs_compiled)
  set(NNFS_ARCH_INDEPENDENT "")
else()
  set(NNFS_ARCH_INDEPENDENT ARCH_INDEPENDENT)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/nnfsConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion
  ${NNFS_ARCH_INDEPENDENT})

install(FILES
  "${PROJECT_BINARY_DIR}/nnfsConfig.cmake"
  "${PROJECT_BINARY_DIR}/nnfsConfigVersion.cmake"
  DESTINATION "${NNFS_CMAKE_INSTALL_DIR}")

# Build-tree export: lets another project point nnfs_DIR at this build directory.
export(EXPORT nnfsTargets NAMESPACE nnfs:: FILE "${PROJECT_BINARY_DIR}/nnfsTargets.cmake")

# pkg-config (header-only, hence under share/). The include directory is written relative to
# the .pc file itself (${pcfiledir}), so the file stays right when the prefix is chosen at
# install time (`cmake --install build --prefix /elsewhere`) rather than at configure time.
set(NNFS_PC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}" OR IS_ABSOLUTE "${NNFS_PC_INSTALL_DIR}")
  set(NNFS_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _nnfs_pc_to_include
       "/prefix/${NNFS_PC_INSTALL_DIR}" "/prefix/${CMAKE_INSTALL_INCLUDEDIR}")
  set(NNFS_PC_INCLUDEDIR "\${pcfiledir}/${_nnfs_pc_to_include}")
  unset(_nnfs_pc_to_include)
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/nnfs.pc.in" "${PROJECT_BINARY_DIR}/nnfs.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/nnfs.pc" DESTINATION "${NNFS_PC_INSTALL_DIR}")
