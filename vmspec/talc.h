/* The spec dialect's one header: types, memory accessors and annotations.
 *
 * The spec is valid C11. Compiled directly (with TALC_SIM) it is the simulator: every
 * annotation below is an ordinary macro and every memory access goes through the checked
 * accessors of platforms/sim/. The translator never expands these macros: it reads them as
 * instructions (see vmspec/DIALECT.md) and writes raw loads and stores instead.
 */
#ifndef TALC_H
#define TALC_H

#include <stdint.h>

/* The spec assumes a 64-bit host; a 32-bit flavour keeps its heap below 4 GiB so that its
 * oops are still real addresses. */
_Static_assert(sizeof(void *) == 8, "Talc needs a 64-bit host");

typedef intptr_t sqInt;    /* a VM word, an oop, an address in VM memory */
typedef uintptr_t usqInt;
typedef int64_t sqLong;
typedef uint64_t usqLong;

/* Word size of the object memory: 4 (Spur 32-bit, format 6521) or 8 (Spur 64-bit, 68021).
 * The translator takes it from the flavour; the simulator from the build. */
#ifndef TALC_WORD_BYTES
#define TALC_WORD_BYTES 4
#endif
#define BytesPerWord TALC_WORD_BYTES
#define BytesPerOop TALC_WORD_BYTES

/* ---- memory accessors: the only way spec code touches VM memory ---- */
#ifdef TALC_SIM
#include "../platforms/sim/checked_memory.h"
#define byteAt(a)            simByteAt((a), __FILE__, __LINE__)
#define byteAtPut(a, v)      simByteAtPut((a), (v), __FILE__, __LINE__)
#define shortAt(a)           simShortAt((a), __FILE__, __LINE__)
#define shortAtPut(a, v)     simShortAtPut((a), (v), __FILE__, __LINE__)
#define long32At(a)          simLong32At((a), __FILE__, __LINE__)
#define long32AtPut(a, v)    simLong32AtPut((a), (v), __FILE__, __LINE__)
#define long64At(a)          simLong64At((a), __FILE__, __LINE__)
#define long64AtPut(a, v)    simLong64AtPut((a), (v), __FILE__, __LINE__)
#define float64At(a)         simFloat64At((a), __FILE__, __LINE__)
#define float64AtPut(a, v)   simFloat64AtPut((a), (v), __FILE__, __LINE__)
#else
#define byteAt(a)            ((sqInt)*(uint8_t *)(usqInt)(a))
#define byteAtPut(a, v)      ((void)(*(uint8_t *)(usqInt)(a) = (uint8_t)(v)))
#define shortAt(a)           ((sqInt)*(uint16_t *)(usqInt)(a))
#define shortAtPut(a, v)     ((void)(*(uint16_t *)(usqInt)(a) = (uint16_t)(v)))
#define long32At(a)          ((sqInt)*(uint32_t *)(usqInt)(a))
#define long32AtPut(a, v)    ((void)(*(uint32_t *)(usqInt)(a) = (uint32_t)(v)))
#define long64At(a)          ((sqLong)*(uint64_t *)(usqInt)(a))
#define long64AtPut(a, v)    ((void)(*(uint64_t *)(usqInt)(a) = (uint64_t)(v)))
#define float64At(a)         (*(double *)(usqInt)(a))
#define float64AtPut(a, v)   ((void)(*(double *)(usqInt)(a) = (double)(v)))
#endif

/* Word-sized access: an oop slot. 32-bit oops are zero-extended. */
#if TALC_WORD_BYTES == 8
#define longAt(a)       long64At(a)
#define longAtPut(a, v) long64AtPut((a), (v))
#else
#define longAt(a)       long32At(a)
#define longAtPut(a, v) long32AtPut((a), (v))
#endif

/* ---- annotations (statements at the top of a function body, like Slang's pragmas) ---- */
#define INLINE(how)          ((void)0)   /* how: hint | always | never */
#define SPECIALISE(param, lo, hi) ((void)0)  /* one copy per constant value of param in lo..hi */

/* ---- variants (variants.h): the simulator asks at run time, the translator folds the choice ---- */
#ifdef TALC_SIM
int simVariantIs(const char *key, const char *value);
#define VARIANT(key, value)  simVariantIs(#key, #value)
#endif

/* ---- simulation-only code and assertion levels ---- */
#ifdef TALC_SIM
#define SIM_ONLY(...)        do { __VA_ARGS__; } while (0)
#define ASSERT_SIM(e)        ((e) ? (void)0 : simAssertFailed(#e, __FILE__, __LINE__))
#define ASSERT(e)            ((e) ? (void)0 : simAssertFailed(#e, __FILE__, __LINE__))
#define ASSERT_ALWAYS(e)     ((e) ? (void)0 : simAssertFailed(#e, __FILE__, __LINE__))
#else
/* Only reached when the spec is compiled directly without TALC_SIM (nobody does that). */
#define SIM_ONLY(...)        ((void)0)
#define ASSERT_SIM(e)        ((void)0)
#define ASSERT(e)            ((void)0)
#define ASSERT_ALWAYS(e)     ((e) ? (void)0 : vmAssertFailed(#e, __FILE__, __LINE__))
#endif

/* ---- the simulator harness's hooks, called from SIM_ONLY code ---- */
#ifdef TALC_SIM
#include "../platforms/sim/sim_hooks.h"
#endif

/* ---- bytecode dispatch ---- */
#ifdef TALC_SIM
#define DISPATCH_BYTECODE(index) simDispatchBytecode(index)
#endif

#endif
