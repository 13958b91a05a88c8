-- Stack interpreter, Spur 64-bit (format 68021): the default flavour once Talc's own image exists.
return {
  word_size = 64,
  assertions = "none",
  dispatch = "goto",
}
