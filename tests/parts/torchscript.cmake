# part: torchscript (tests)
# Interop with Debian's torch / torchvision and TorchScript backbones; the
# fixture script also writes the TorchScript files tst_torchscript loads.
fts_fixture(interop make_interop_fixtures.py)
fts_test(tst_torchscript FIXTURES interop LINK fts_engine_train)
fts_test(tst_interop FIXTURES interop LINK fts_engine_train fts_engine_export)
if(TARGET tst_modelpanel)
  # Its TorchScript case loads the interop fixtures.
  set_tests_properties(tst_modelpanel PROPERTIES FIXTURES_REQUIRED interop)
endif()
