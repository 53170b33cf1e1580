# Installable (issue 7 item 5; docs/cli.md, "Install" and "Data directory"): cmake --install into a scratch
# prefix outside the build tree, and the .deb from cpack extracted into a scratch root; commsim finds its
# data next to itself. No rebuild: these use the built binaries (install and cpack do not build). About
# 1 s and 5 s on an idle machine (dpkg-shlibdeps takes most of the second).
set(INSTALL_TEST ${CMAKE_CURRENT_SOURCE_DIR}/cli/install_test.sh)
add_test(NAME "install: cmake --install prefix finds its data" COMMAND ${INSTALL_TEST} install ${PROJECT_BINARY_DIR})
add_test(NAME "install: .deb extracted runs commsim catalog" COMMAND ${INSTALL_TEST} deb ${PROJECT_BINARY_DIR})
# Label `heavy`: under ASan the package step takes 25-30 s and packages the same files as in Release.
set_tests_properties("install: .deb extracted runs commsim catalog" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS heavy)
set_tests_properties("install: cmake --install prefix finds its data" PROPERTIES TIMEOUT 60)
