-- stack-spur32 with ASSERT(...) kept (assertions = "build") and Open-Smalltalk-VM's hashed
-- method-dictionary probe, so that CI builds and runs the other method_lookup variant too.
return {
  word_size = 32,
  assertions = "build",
  dispatch = "goto",
  jit = false,
  bytecode_sets = { "v3", "sista" },
  method_lookup = "hashed",
  old_space_collector = "mark_compact",
}
