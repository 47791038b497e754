# part: experiment (tests)
fts_test(tst_experiment)
add_dependencies(tst_experiment finetune-cli)
