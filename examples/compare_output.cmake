# Runs COMMAND (with ARGS, a ;-list) and compares its standard output with the file EXPECTED.
# On a difference, writes the actual output next to the build (ACTUAL) and fails with both.
# Used by the examples' tests and tests/package.
if(NOT DEFINED COMMAND OR NOT DEFINED EXPECTED)
  message(FATAL_ERROR "usage: cmake -DCOMMAND=exe [-DARGS=a;b] -DEXPECTED=file [-DACTUAL=file] -P compare_output.cmake")
endif()
execute_process(COMMAND ${COMMAND} ${ARGS}
  OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${COMMAND} exited with ${rc}\nstdout:\n${actual}\nstderr:\n${errors}")
endif()
file(READ ${EXPECTED} expected)
string(REPLACE "\r\n" "\n" expected "${expected}")
string(REPLACE "\r\n" "\n" actual "${actual}")
if(NOT actual STREQUAL expected)
  if(DEFINED ACTUAL)
    file(WRITE ${ACTUAL} "${actual}")
  endif()
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}--- actual\n${actual}"
                      "--- stderr\n${errors}")
endif()
