-- The spine's flavour: stack interpreter, Spur 32-bit, no assertions beyond the always-on ones.
return {
  word_size = 32,
  assertions = "none",
  dispatch = "goto",
}
