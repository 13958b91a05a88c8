-- The default flavour: stack interpreter, Spur 32-bit, no assertions beyond the always-on ones.
return {
  word_size = 32,
  assertions = "none",
  dispatch = "goto",
  jit = false,
  bytecode_sets = { "v3", "sista" },
  method_lookup = "linear",
  old_space_collector = "mark_compact",
}
