/* The spec's variant operations: VARIANT_TABLE(V) lists V(key, value) for every selectable value
 * of every key; a key's first value is its default. Spec code asks VARIANT(key, value) (talc.h).
 * The simulator builds every variant and picks at run time (talc-sim --variant key=value); the
 * translator takes the flavour's choice (a flavour key of the same name) and keeps only the
 * chosen variant's code. See vmspec/DIALECT.md, "Variants". The test_fault values other than
 * none plant deliberate bugs for the simulator's own tests, and mark_stack=tiny makes the marker
 * overflow its stack all the time (tests/gc/run.sh); no flavour chooses them. */
#ifndef TALC_VARIANTS_H
#define TALC_VARIANTS_H

#define VARIANT_TABLE(V) \
    V(method_lookup, linear) \
    V(method_lookup, hashed) \
    V(old_space_collector, mark_compact) \
    V(old_space_collector, mark_sweep) \
    V(mark_stack, eden) \
    V(mark_stack, tiny) \
    V(test_fault, none) \
    V(test_fault, forget_remembered_set) \
    V(test_fault, misfile_free_chunks) \
    V(test_fault, mourn_twice) \
    V(test_fault, wrong_bitxor_of_negatives)

#endif
