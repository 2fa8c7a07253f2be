# Installing allocopt like any command-line tool (GNUInstallDirs): the program, its
# manual page and bash completion (both printed by the program from the options table
# that also prints --help, so neither is a copy kept by hand), and the documentation and
# the bundled example. Then the Debian package (cmake/package.cmake).
include(GNUInstallDirs)

set(AO_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)
set(AO_MAN_PAGE ${AO_GENERATED_DIR}/allocopt.1)
set(AO_COMPLETION ${AO_GENERATED_DIR}/allocopt.bash)
foreach(what man completion)
  if(what STREQUAL "man")
    set(file ${AO_MAN_PAGE})
  else()
    set(file ${AO_COMPLETION})
  endif()
  add_custom_command(
    OUTPUT ${file}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:allocopt> -DARG=--help-${what}
            -DOUT=${file} -P ${CMAKE_CURRENT_LIST_DIR}/run_to_file.cmake
    DEPENDS allocopt ${CMAKE_CURRENT_LIST_DIR}/run_to_file.cmake
    COMMENT "Writing ${file} from the options table (allocopt --help-${what})")
endforeach()
# Debian ships manual pages compressed (gzip -n: no name or time stamp, so the same
# page gives the same bytes).
find_program(AO_GZIP gzip REQUIRED)
add_custom_command(
  OUTPUT ${AO_MAN_PAGE}.gz
  COMMAND ${AO_GZIP} -9 -n -c ${AO_MAN_PAGE} > ${AO_MAN_PAGE}.gz
  DEPENDS ${AO_MAN_PAGE}
  COMMENT "Compressing the manual page")
add_custom_target(allocopt_docs ALL DEPENDS ${AO_MAN_PAGE}.gz ${AO_COMPLETION})

install(TARGETS allocopt RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${AO_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${AO_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME allocopt)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/cmake/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

include(${CMAKE_CURRENT_LIST_DIR}/package.cmake)
