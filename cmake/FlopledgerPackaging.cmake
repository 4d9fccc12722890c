# Installation, the CMake package (find_package(flopledger 1 CONFIG)), pkg-config and CPack.
# Included last by the top-level CMakeLists.txt, once every target exists.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# version.hpp is a plain header (no generated file in the source include directory), so make
# sure it cannot drift from project(VERSION).
file(STRINGS ${PROJECT_SOURCE_DIR}/core/include/flopledger/version.hpp _flopledger_version_line
     REGEX "^#define FLOPLEDGER_VERSION \"")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" _flopledger_header_version "${_flopledger_version_line}")
if(NOT _flopledger_header_version STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "core/include/flopledger/version.hpp says ${_flopledger_header_version}, "
                      "project(VERSION) says ${PROJECT_VERSION}: update version.hpp")
endif()

set(FLOPLEDGER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/flopledger)
set(FLOPLEDGER_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/flopledger)

# nlohmann/json is header-only and private to the core. For a static library CMake would still
# export it as $<LINK_ONLY:nlohmann_json::nlohmann_json>, forcing consumers to have it installed;
# keep it a build-tree-only dependency instead.
get_target_property(_flopledger_core_type flopledger_core TYPE)
get_target_property(_flopledger_core_iface flopledger_core INTERFACE_LINK_LIBRARIES)
if(_flopledger_core_iface)
  set(_flopledger_core_iface_fixed "")
  foreach(item IN LISTS _flopledger_core_iface)
    if(item MATCHES "^\\$<LINK_ONLY:nlohmann_json::nlohmann_json>$")
      set(item "$<LINK_ONLY:$<BUILD_INTERFACE:nlohmann_json::nlohmann_json>>")
    endif()
    list(APPEND _flopledger_core_iface_fixed "${item}")
  endforeach()
  set_target_properties(flopledger_core PROPERTIES INTERFACE_LINK_LIBRARIES
                                                   "${_flopledger_core_iface_fixed}")
endif()

# Compiled private dependencies of a static core must be found by consumers too.
set(FLOPLEDGER_CONFIG_EXTRA_DEPENDENCIES "")
if(_flopledger_core_type STREQUAL "STATIC_LIBRARY" AND "${_flopledger_core_iface}" MATCHES "fmt::fmt")
  string(APPEND FLOPLEDGER_CONFIG_EXTRA_DEPENDENCIES "find_dependency(fmt)\n")
endif()
if(_flopledger_core_type STREQUAL "STATIC_LIBRARY" AND "${_flopledger_core_iface}" MATCHES "OpenSSL::Crypto")
  string(APPEND FLOPLEDGER_CONFIG_EXTRA_DEPENDENCIES "find_dependency(OpenSSL COMPONENTS Crypto)\n")
endif()

set(_flopledger_install_targets flopledger_core)
if(TARGET flopledger_c)
  list(APPEND _flopledger_install_targets flopledger_c)
endif()
install(TARGETS ${_flopledger_install_targets}
  EXPORT flopledgerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/flopledger
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(EXPORT flopledgerTargets NAMESPACE flopledger:: FILE flopledgerTargets.cmake
  DESTINATION ${FLOPLEDGER_INSTALL_CMAKEDIR} COMPONENT development)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/flopledgerConfig.cmake.in
  ${PROJECT_BINARY_DIR}/flopledgerConfig.cmake
  INSTALL_DESTINATION ${FLOPLEDGER_INSTALL_CMAKEDIR}
  PATH_VARS FLOPLEDGER_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/flopledgerConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/flopledgerConfig.cmake
              ${PROJECT_BINARY_DIR}/flopledgerConfigVersion.cmake
  DESTINATION ${FLOPLEDGER_INSTALL_CMAKEDIR} COMPONENT development)

# pkg-config describes the C API: libflopledger_c is a shared library with the C++ core linked
# in and its symbols hidden, so a C program needs nothing else (no libstdc++ flags, no Boost).
# The prefix is computed from the .pc file's own place, so `cmake --install --prefix DIR` and
# the .deb both get a correct file.
foreach(dir LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    message(FATAL_ERROR "flopledger.pc needs a relative CMAKE_INSTALL_${dir}")
  endif()
endforeach()
file(RELATIVE_PATH FLOPLEDGER_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" FLOPLEDGER_PC_TO_PREFIX "${FLOPLEDGER_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/flopledger.pc.in ${PROJECT_BINARY_DIR}/flopledger.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/flopledger.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

# Copies of the shipped data: the library embeds the same files as its defaults; these are for
# reading, and as a starting point for a data directory (flopledger_new(data_dir), --data-dir).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policies ${PROJECT_SOURCE_DIR}/hardware
  DESTINATION ${FLOPLEDGER_INSTALL_DATADIR} COMPONENT runtime
  FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT runtime OPTIONAL)
# The GUI's binary, .desktop entry and icon are installed by gui/CMakeLists.txt; the CLI's by
# cli/CMakeLists.txt.

# CPack: one .deb with the CLI, the GUI (when built), the libraries, headers and data.
set(CPACK_PACKAGE_NAME flopledger)
set(CPACK_PACKAGE_VENDOR "FLOP Ledger contributors")
set(CPACK_PACKAGE_CONTACT "FLOP Ledger maintainers <maintainers@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# gzip: a fraction of xz's packing time in CI, for a few MB more.
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Runtime dependencies (Qt, fmt, libstdc++) are read off the binaries by dpkg-shlibdeps.
find_program(FLOPLEDGER_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(FLOPLEDGER_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
# Consumers of the C++ headers need Boost (Exact is a Boost.Multiprecision rational).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libboost-dev (>= 1.74), pkg-config, cmake (>= 3.16)")
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_SOURCE_IGNORE_FILES "/build[^/]*/;/\\\\.git/;/out/")
include(CPack)
