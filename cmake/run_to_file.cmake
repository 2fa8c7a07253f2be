# Run PROGRAM with ARG and write what it prints to OUT (cmake -P, at build time):
#   cmake -DPROGRAM=... -DARG=... -DOUT=... -P run_to_file.cmake
execute_process(COMMAND ${PROGRAM} ${ARG} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} ${ARG} failed: ${status}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
