# The Debian package (cpack -G DEB, or `cmake --build BUILD --target package`):
# allocopt_<version>_<arch>.deb in the build folder. Depends is worked out by
# dpkg-shlibdeps (package dpkg-dev) from the libraries the program links.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME allocopt)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "allocopt")
set(CPACK_PACKAGE_CONTACT "allocopt maintainers <allocopt@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "allocate ICB revenue and capital between specialised services and ICB priorities")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "allocopt solves a linear programme (GLPK, or COIN-OR CLP) that splits each "
       "Integrated Care Board's revenue and capital, year by year, between specialised "
       "services and ICB priorities within national standards, demand, provider capacity "
       "and policy rules, compares commissioning arrangements and what-if scenarios, and "
       "writes Excel workbooks.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION math)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS bash-completion)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
set(CPACK_STRIP_FILES ON)
include(CPack)
