# Warnings and sanitizers shared by every target of the project.
add_library(flopledger_warnings INTERFACE)
target_compile_options(flopledger_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough>)
if(FLOPLEDGER_WERROR)
  target_compile_options(flopledger_warnings INTERFACE -Werror)
endif()
if(FLOPLEDGER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
