# Installation layout and packages (CPack), included at the end of the top
# CMakeLists.txt, once every target exists.
#
#   Linux    cpack -G DEB         dependencies from dpkg-shlibdeps (scripts/package.sh)
#   Windows  cpack -G WIX | NSIS  Qt through windeployqt, LibTorch/OpenCV DLLs beside the .exe
#   macOS    cpack -G DragNDrop   Qt, LibTorch, OpenCV inside the bundle's Frameworks
#
# docs/packaging.md gives the steps for each OS. Paths here are relative to the
# install prefix (GNUInstallDirs), so the same rules serve every generator.

include(GNUInstallDirs)

set(FTS_APP_ID "io.github.finetunestudio.FinetuneStudio")
set(FTS_HOMEPAGE_URL "https://github.com/finetunestudio/finetune-studio")
set(FTS_SCREENSHOT_URL
    "https://raw.githubusercontent.com/finetunestudio/finetune-studio/main/docs/screenshots")
# The date of the release PROJECT_VERSION names (AppStream <release>, man pages):
# change it together with the version in project().
set(FTS_RELEASE_DATE "2026-11-27")

set(_fts_pkg "${PROJECT_SOURCE_DIR}/packaging")
set(_fts_gen "${PROJECT_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${_fts_gen}")

set(_fts_programs "")
if(TARGET finetune-studio)
  list(APPEND _fts_programs finetune-studio)
endif()
if(TARGET finetune-cli)
  list(APPEND _fts_programs finetune-cli)
endif()

# --- Where things go -------------------------------------------------------
# The engine looks for the demo in <exe dir>/../share/finetune-studio/demo
# (engine/core/resources.cpp): beside bin/ on Linux and Windows; inside the
# bundle on macOS, where the programs sit in Contents/MacOS. The macOS layout
# needs the GUI installed with `BUNDLE DESTINATION .` (docs/packaging.md).
if(APPLE AND TARGET finetune-studio)
  set(FTS_BUNDLE_CONTENTS "finetune-studio.app/Contents")
  set(FTS_INSTALL_APPDATADIR "${FTS_BUNDLE_CONTENTS}/share/finetune-studio")
  set(FTS_INSTALL_DOCDIR "${FTS_BUNDLE_CONTENTS}/Resources/licences")
else()
  set(FTS_INSTALL_APPDATADIR "${CMAKE_INSTALL_DATADIR}/finetune-studio")
  set(FTS_INSTALL_DOCDIR "${CMAKE_INSTALL_DATADIR}/doc/finetune-studio")
endif()

# --- Everywhere: the demo, licences and notices ----------------------------
install(DIRECTORY "${PROJECT_SOURCE_DIR}/resources/demo/"
        DESTINATION "${FTS_INSTALL_APPDATADIR}/demo")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${_fts_pkg}/THIRD-PARTY-NOTICES.md"
        DESTINATION "${FTS_INSTALL_DOCDIR}")
install(FILES "${_fts_pkg}/licenses/Apache-2.0.txt" "${_fts_pkg}/licenses/LGPL-3.0.txt"
        DESTINATION "${FTS_INSTALL_DOCDIR}/licenses")
# WiX shows the licence only from a .txt or .rtf file.
configure_file("${PROJECT_SOURCE_DIR}/LICENSE" "${_fts_gen}/LICENSE.txt" COPYONLY)

# --- Linux and other freedesktop systems -----------------------------------
if(UNIX AND NOT APPLE)
  install(FILES "${_fts_pkg}/linux/copyright" DESTINATION "${FTS_INSTALL_DOCDIR}")

  if(TARGET finetune-studio)
    install(FILES "${_fts_pkg}/linux/${FTS_APP_ID}.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    configure_file("${_fts_pkg}/linux/${FTS_APP_ID}.metainfo.xml.in"
                   "${_fts_gen}/${FTS_APP_ID}.metainfo.xml" @ONLY)
    install(FILES "${_fts_gen}/${FTS_APP_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
    install(FILES "${_fts_pkg}/icons/finetune-studio.svg"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
            RENAME "${FTS_APP_ID}.svg")
    foreach(size 16 24 32 48 64 128 256 512)
      install(FILES "${_fts_pkg}/icons/finetune-studio-${size}.png"
              DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
              RENAME "${FTS_APP_ID}.png")
    endforeach()
  endif()

  # Man pages, gzipped as Debian policy asks (plain when gzip is missing).
  find_program(FTS_GZIP gzip)
  foreach(program IN LISTS _fts_programs)
    configure_file("${_fts_pkg}/linux/${program}.1.in" "${_fts_gen}/${program}.1" @ONLY)
    set(_fts_page "${_fts_gen}/${program}.1")
    if(FTS_GZIP)
      execute_process(COMMAND "${FTS_GZIP}" -9 -n -c "${_fts_gen}/${program}.1"
                      OUTPUT_FILE "${_fts_gen}/${program}.1.gz" RESULT_VARIABLE _fts_rc)
      if(_fts_rc EQUAL 0)
        set(_fts_page "${_fts_gen}/${program}.1.gz")
      endif()
    endif()
    install(FILES "${_fts_page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  endforeach()
endif()

# --- Windows: icon, Qt through windeployqt, LibTorch and OpenCV DLLs -------
if(WIN32)
  if(TARGET finetune-studio)
    set_target_properties(finetune-studio PROPERTIES WIN32_EXECUTABLE ON)
    # The .exe's icon (Explorer, taskbar) and version resource.
    file(TO_CMAKE_PATH "${_fts_pkg}/icons/finetune-studio.ico" _fts_ico)
    file(WRITE "${_fts_gen}/finetune-studio.rc"
         "IDI_ICON1 ICON \"${_fts_ico}\"\n"
         "1 VERSIONINFO\n"
         "FILEVERSION ${PROJECT_VERSION_MAJOR},${PROJECT_VERSION_MINOR},${PROJECT_VERSION_PATCH},0\n"
         "PRODUCTVERSION ${PROJECT_VERSION_MAJOR},${PROJECT_VERSION_MINOR},${PROJECT_VERSION_PATCH},0\n"
         "BEGIN\n"
         "  BLOCK \"StringFileInfo\"\n  BEGIN\n    BLOCK \"040904B0\"\n    BEGIN\n"
         "      VALUE \"FileDescription\", \"Finetune Studio\"\n"
         "      VALUE \"ProductName\", \"Finetune Studio\"\n"
         "      VALUE \"ProductVersion\", \"${PROJECT_VERSION}\"\n"
         "      VALUE \"LegalCopyright\", \"GPL-3.0-or-later\"\n"
         "    END\n  END\n"
         "  BLOCK \"VarFileInfo\"\n  BEGIN\n    VALUE \"Translation\", 0x409, 1200\n  END\n"
         "END\n")
    target_sources(finetune-studio PRIVATE "${_fts_gen}/finetune-studio.rc")

    # windeployqt copies Qt's DLLs, plugins and translations beside the .exe.
    # Qt 6.4 knows only FILENAME_VARIABLE; 6.5 renamed it OUTPUT_SCRIPT.
    find_package(Qt6 REQUIRED COMPONENTS Core)
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
      qt_generate_deploy_app_script(TARGET finetune-studio OUTPUT_SCRIPT _fts_deploy_script
                                    NO_UNSUPPORTED_PLATFORM_ERROR)
    else()
      qt_generate_deploy_app_script(TARGET finetune-studio FILENAME_VARIABLE _fts_deploy_script
                                    NO_UNSUPPORTED_PLATFORM_ERROR)
    endif()
    install(SCRIPT "${_fts_deploy_script}")
  endif()

  # The MSVC runtime (vcruntime, msvcp), which LibTorch and OpenCV need as well.
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION "${CMAKE_INSTALL_BINDIR}")
  include(InstallRequiredSystemLibraries)

  # OpenCV (and any other imported SHARED library) through the target's DLL list.
  # LibTorch's imported targets are UNKNOWN libraries, which that list leaves out,
  # so its DLLs (c10, torch_cpu, fbgemm, asmjit, libiomp5md, CUDA's when present)
  # are taken from its lib folder.
  foreach(program IN LISTS _fts_programs)
    install(FILES "$<TARGET_RUNTIME_DLLS:${program}>" DESTINATION "${CMAKE_INSTALL_BINDIR}")
  endforeach()
  if(DEFINED TORCH_INSTALL_PREFIX)
    file(GLOB _fts_torch_dlls "${TORCH_INSTALL_PREFIX}/lib/*.dll")
    install(FILES ${_fts_torch_dlls} DESTINATION "${CMAKE_INSTALL_BINDIR}")
    # LibTorch's own notices for what it bundles (oneDNN, OpenMP, CUDA, ...).
    foreach(notice NOTICE LICENSE THIRD_PARTY_NOTICES)
      foreach(dir "${TORCH_INSTALL_PREFIX}" "${TORCH_INSTALL_PREFIX}/share")
        if(EXISTS "${dir}/${notice}")
          install(FILES "${dir}/${notice}" DESTINATION "${FTS_INSTALL_DOCDIR}/libtorch")
        endif()
      endforeach()
    endforeach()
  else()
    message(WARNING "TORCH_INSTALL_PREFIX is not set: LibTorch's DLLs will not be packaged")
  endif()
endif()

# --- macOS: the bundle, with Qt, LibTorch and OpenCV in Contents/Frameworks -
if(APPLE AND TARGET finetune-studio)
  # The .icns from the committed PNGs (iconutil ships with macOS).
  set(_fts_iconset "${_fts_gen}/finetune-studio.iconset")
  file(MAKE_DIRECTORY "${_fts_iconset}")
  foreach(pair "16;icon_16x16" "32;icon_16x16@2x" "32;icon_32x32" "64;icon_32x32@2x"
               "128;icon_128x128" "256;icon_128x128@2x" "256;icon_256x256"
               "512;icon_256x256@2x" "512;icon_512x512")
    list(GET pair 0 size)
    list(GET pair 1 name)
    configure_file("${_fts_pkg}/icons/finetune-studio-${size}.png" "${_fts_iconset}/${name}.png"
                   COPYONLY)
  endforeach()
  find_program(FTS_ICONUTIL iconutil)
  if(FTS_ICONUTIL)
    execute_process(COMMAND "${FTS_ICONUTIL}" -c icns "${_fts_iconset}"
                            -o "${_fts_gen}/finetune-studio.icns")
    target_sources(finetune-studio PRIVATE "${_fts_gen}/finetune-studio.icns")
    set_source_files_properties("${_fts_gen}/finetune-studio.icns" TARGET_DIRECTORY finetune-studio
                                PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
  endif()

  set_target_properties(finetune-studio PROPERTIES
    MACOSX_BUNDLE ON
    MACOSX_BUNDLE_BUNDLE_NAME "Finetune Studio"
    MACOSX_BUNDLE_GUI_IDENTIFIER "${FTS_APP_ID}"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
    MACOSX_BUNDLE_ICON_FILE finetune-studio.icns
    MACOSX_BUNDLE_COPYRIGHT "GPL-3.0-or-later")
  # Both programs find LibTorch, OpenCV and Qt in the bundle.
  set_target_properties(${_fts_programs} PROPERTIES
    INSTALL_RPATH "@executable_path/../Frameworks")
  if(TARGET finetune-cli)
    install(TARGETS finetune-cli RUNTIME DESTINATION "${FTS_BUNDLE_CONTENTS}/MacOS")
  endif()
  if(DEFINED TORCH_INSTALL_PREFIX)
    file(GLOB _fts_torch_dylibs "${TORCH_INSTALL_PREFIX}/lib/*.dylib")
    install(FILES ${_fts_torch_dylibs} DESTINATION "${FTS_BUNDLE_CONTENTS}/Frameworks")
  else()
    message(WARNING "TORCH_INSTALL_PREFIX is not set: LibTorch's dylibs will not be packaged")
  endif()

  # macdeployqt copies Qt and every other non-system dylib (OpenCV and its
  # codecs) into Frameworks and rewrites the load paths. What
  # qt_generate_deploy_app_script writes for a bundle, plus the CLI as an extra
  # executable; qt6_deploy_runtime_dependencies takes that the same way on
  # Qt 6.4 and later (qt_generate_deploy_app_script gained a way to pass it
  # only in 6.7, as DEPLOY_TOOL_OPTIONS).
  find_package(Qt6 REQUIRED COMPONENTS Core)
  set(_fts_deploy_extra "")
  if(TARGET finetune-cli)
    set(_fts_deploy_extra
        "ADDITIONAL_EXECUTABLES \"\${QT_DEPLOY_PREFIX}/${FTS_BUNDLE_CONTENTS}/MacOS/finetune-cli\"")
  endif()
  set(_fts_deploy_script "${_fts_gen}/deploy-macos-$<CONFIG>.cmake")
  file(GENERATE OUTPUT "${_fts_deploy_script}" CONTENT "
include(\"${QT_DEPLOY_SUPPORT}\")
qt6_deploy_runtime_dependencies(
    EXECUTABLE \"\${QT_DEPLOY_PREFIX}/finetune-studio.app\"
    ${_fts_deploy_extra}
)
")
  install(SCRIPT "${_fts_deploy_script}")
endif()

# --- CPack -----------------------------------------------------------------
set(CPACK_PACKAGE_NAME "finetune-studio")
set(CPACK_PACKAGE_VENDOR "The Finetune Studio contributors")
set(CPACK_PACKAGE_CONTACT
    "The Finetune Studio contributors <finetune-studio@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Finetune Studio teaches a pretrained image classifier (ResNet, MobileNet, \
EfficientNet) new classes on your own pictures: pick a model, tick the layers to \
freeze, set the hyperparameters and press Start. Live loss and accuracy charts, a \
gallery of predictions and a confusion matrix show what the model learns. A bundled \
Fashion-MNIST demo works offline. finetune-cli runs the same training without a window.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${FTS_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Finetune Studio")
set(CPACK_PACKAGE_EXECUTABLES "finetune-studio" "Finetune Studio")
set(CPACK_CREATE_DESKTOP_LINKS "finetune-studio")
set(CPACK_RESOURCE_FILE_LICENSE "${_fts_gen}/LICENSE.txt")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_SOURCE_GENERATOR "")

if(WIN32)
  set(CPACK_GENERATOR "WIX")
  # Never change this GUID: Windows uses it to upgrade an installed version in place.
  set(CPACK_WIX_UPGRADE_GUID "B423E60D-89E2-496A-B357-DE7045DF7058")
  set(CPACK_WIX_PRODUCT_ICON "${_fts_pkg}/icons/finetune-studio.ico")
  set(CPACK_WIX_PROGRAM_MENU_FOLDER "Finetune Studio")
  set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${FTS_HOMEPAGE_URL}")
  # NSIS (cpack -G NSIS) is the alternative when the WiX Toolset is not installed.
  set(CPACK_NSIS_DISPLAY_NAME "Finetune Studio")
  set(CPACK_NSIS_PACKAGE_NAME "Finetune Studio ${PROJECT_VERSION}")
  set(CPACK_NSIS_MUI_ICON "${_fts_pkg}/icons/finetune-studio.ico")
  set(CPACK_NSIS_MUI_UNIICON "${_fts_pkg}/icons/finetune-studio.ico")
  set(CPACK_NSIS_INSTALLED_ICON_NAME "${CMAKE_INSTALL_BINDIR}\\finetune-studio.exe")
  set(CPACK_NSIS_URL_INFO_ABOUT "${FTS_HOMEPAGE_URL}")
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_NSIS_MODIFY_PATH ON)  # offers to put finetune-cli on PATH
elseif(APPLE)
  set(CPACK_GENERATOR "DragNDrop")
  set(CPACK_DMG_VOLUME_NAME "Finetune Studio")
  set(CPACK_PACKAGE_FILE_NAME
      "FinetuneStudio-${PROJECT_VERSION}-macOS-${CMAKE_SYSTEM_PROCESSOR}")
else()
  set(CPACK_GENERATOR "DEB")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  # Depends: from the binaries (libtorch, Qt, OpenCV as Debian ships them).
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_SECTION "science")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
  # Qt's Wayland platform plugin and its own translations (standard dialogs in
  # Chinese) are separate packages; the app runs without them.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, qt6-translations-l10n")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
endif()

include(CPack)
