# flopledger::c: the C API (<flopledger/flopledger.h>). Always a shared library, libflopledger_c,
# with the core linked in and every symbol but the flopledger_* functions hidden: C programs and
# ctypes/FFI users load one self-contained .so and need no C++ runtime flags. Included from
# core/CMakeLists.txt.
add_library(flopledger_c SHARED ${PROJECT_SOURCE_DIR}/core/capi/c_api.cpp
            ${PROJECT_SOURCE_DIR}/core/capi/c_api_options.cpp
            ${PROJECT_SOURCE_DIR}/core/include/flopledger/flopledger.h)
add_library(flopledger::c ALIAS flopledger_c)
set_target_properties(flopledger_c PROPERTIES
  OUTPUT_NAME flopledger_c EXPORT_NAME c
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
  C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(flopledger_c PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/core/include> $<INSTALL_INTERFACE:include>)
target_link_libraries(flopledger_c PRIVATE flopledger_core nlohmann_json::nlohmann_json
                      $<BUILD_INTERFACE:flopledger_warnings>)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  # The static core's symbols stay internal: no clash with a program that links the core too.
  target_link_options(flopledger_c PRIVATE "LINKER:--exclude-libs,ALL"
                      "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/flopledger_c.map")
  set_property(TARGET flopledger_c APPEND PROPERTY LINK_DEPENDS
               ${PROJECT_SOURCE_DIR}/cmake/flopledger_c.map)
  if(NOT FLOPLEDGER_SANITIZE AND NOT FLOPLEDGER_BUILD_FUZZ AND
     NOT CMAKE_SHARED_LINKER_FLAGS MATCHES "-fsanitize")
    # Sanitizer runtimes come from the executable, so only plain builds can insist on this
    # (tests/tsan.sh passes -fsanitize=thread in CMAKE_SHARED_LINKER_FLAGS).
    target_link_options(flopledger_c PRIVATE "LINKER:--no-undefined")
  endif()
endif()
