# Runs one flopledger command and compares its stdout, stderr, exit code and (optionally) the file
# it wrote byte for byte with tests/cli/golden/NAME.{out,err,file}.
# -D variables: BIN, NAME, ARGS ("|"-separated), WORKDIR, GOLDEN_DIR, EXPECT_EXIT,
# optional STDIN (file fed to standard input), OUTFILE (absolute path of a file the command
# writes; removed before and after the run) and ENVSET ("|"-separated NAME=VALUE pairs). With the environment variable FLOPLEDGER_UPDATE_GOLDEN=1 the
# golden files are (re)written instead: review every change by hand before committing it.
string(REPLACE "|" ";" args "${ARGS}")
if(OUTFILE)
  file(REMOVE "${OUTFILE}")
endif()
set(env_prefix)
if(ENVSET)
  string(REPLACE "|" ";" env_pairs "${ENVSET}")
  set(env_prefix "${CMAKE_COMMAND}" -E env ${env_pairs})
endif()
set(input_args)
if(STDIN)
  set(input_args INPUT_FILE "${STDIN}")
endif()
execute_process(COMMAND ${env_prefix} "${BIN}" ${args} ${input_args}
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code
  TIMEOUT 60)

set(produced_file "")
if(OUTFILE)
  if(EXISTS "${OUTFILE}")
    file(READ "${OUTFILE}" produced_file)
    file(REMOVE "${OUTFILE}")
  else()
    set(produced_file "<no file written>")
  endif()
endif()

if("$ENV{FLOPLEDGER_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${GOLDEN_DIR}/${NAME}.out" "${out}")
  file(WRITE "${GOLDEN_DIR}/${NAME}.err" "${err}")
  if(OUTFILE)
    file(WRITE "${GOLDEN_DIR}/${NAME}.file" "${produced_file}")
  endif()
  message(STATUS "updated golden files of ${NAME} (exit code ${code})")
endif()

set(failed FALSE)
if(NOT "${code}" STREQUAL "${EXPECT_EXIT}")
  message(SEND_ERROR "${NAME}: exit code ${code}, expected ${EXPECT_EXIT}\nstderr:\n${err}")
  set(failed TRUE)
endif()
foreach(part out err)
  file(READ "${GOLDEN_DIR}/${NAME}.${part}" expected)
  if(NOT "${${part}}" STREQUAL "${expected}")
    message(SEND_ERROR "${NAME}: std${part} differs from golden/${NAME}.${part}\n--- got:\n${${part}}\n--- expected:\n${expected}")
    set(failed TRUE)
  endif()
endforeach()
if(OUTFILE)
  file(READ "${GOLDEN_DIR}/${NAME}.file" expected)
  if(NOT "${produced_file}" STREQUAL "${expected}")
    message(SEND_ERROR "${NAME}: the -o file differs from golden/${NAME}.file\n--- got:\n${produced_file}")
    set(failed TRUE)
  endif()
endif()
