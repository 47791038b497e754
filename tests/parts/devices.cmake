# part: devices (tests)
# tst_devices also runs finetune-cli (the one-line refusals of --device cuda
# and --precision bf16 where they cannot run).
if(TARGET tst_devices AND TARGET finetune-cli)
  add_dependencies(tst_devices finetune-cli)
endif()
