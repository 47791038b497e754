# cmake -DLUPDATE=... -DLRELEASE=... -DTS=... -DSOURCES="dir1|dir2" -DWORK=dir -P check_translations.cmake
# Passes when the translation covers every string in the sources: lupdate
# a copy of the .ts against today's sources (dropping obsolete entries), then
# lrelease must report 0 unfinished.
string(REPLACE "|" ";" SOURCES "${SOURCES}")
file(MAKE_DIRECTORY ${WORK})
get_filename_component(name ${TS} NAME)
configure_file(${TS} ${WORK}/${name} COPYONLY)
execute_process(COMMAND ${LUPDATE} -silent -no-obsolete -locations none ${SOURCES} -ts ${WORK}/${name}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lupdate failed: ${out}${err}")
endif()
execute_process(COMMAND ${LRELEASE} ${WORK}/${name} -qm ${WORK}/check.qm
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "finished and 0 unfinished" OR out MATCHES "untranslated")
  message(FATAL_ERROR "${name}: some strings in the sources are not translated; "
                      "run the update_translations target and translate them")
endif()
