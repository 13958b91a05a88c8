-- Spur 64-bit with the mark-sweep old-space collector: objects never move.
return {
  word_size = 64,
  assertions = "none",
  dispatch = "goto",
  old_space_collector = "mark_sweep",
}
