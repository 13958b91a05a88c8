/* Variant selection: the spec lists each abstract operation's variants in VARIANT_TABLE(V) as
 * V(key, value); spec code asks VARIANT(key, value). The flavour picks one value per key (the
 * first listed is the default); the translator folds VARIANT(...) to 1 or 0 so that only the
 * chosen variant's code, and the functions it calls, reach interp.c. */
#include "talc_translate.h"

#include <stdlib.h>
#include <string.h>

bool variant_known(const Spec *spec, const char *key, const char *value, bool *key_known)
{
    bool k = false;
    for (size_t i = 0; i < spec->nvariants; i++) {
        if (strcmp(spec->variants[i].key, key) != 0)
            continue;
        k = true;
        if (!value || strcmp(spec->variants[i].value, value) == 0) {
            if (key_known)
                *key_known = true;
            return true;
        }
    }
    if (key_known)
        *key_known = k;
    return false;
}

static const char *chosen_value(const Spec *spec, const char *key)
{
    const Flavour *fl = spec->flavour;
    for (size_t i = 0; i < fl->nchoices; i++)
        if (strcmp(fl->choices[i].key, key) == 0 && fl->choices[i].value)
            return fl->choices[i].value;
    for (size_t i = 0; i < spec->nvariants; i++)
        if (strcmp(spec->variants[i].key, key) == 0)
            return spec->variants[i].value; /* the default */
    return NULL;
}

int variant_chosen(const Spec *spec, const char *key, const char *value)
{
    bool key_known;
    if (!variant_known(spec, key, value, &key_known))
        return -1;
    const char *c = chosen_value(spec, key);
    return c && strcmp(c, value) == 0;
}

/* Every key the flavour set beyond the fixed ones must be a VARIANT_TABLE key with one of its
 * values: reported at the flavour file's line. */
void check_flavour_choices(Spec *spec)
{
    const Flavour *fl = spec->flavour;
    for (size_t i = 0; i < fl->nchoices; i++) {
        const FlavourChoice *c = &fl->choices[i];
        bool key_known;
        variant_known(spec, c->key, NULL, &key_known);
        if (!key_known) {
            Buf keys = {0};
            buf_puts(&keys, "word_size, assertions, dispatch, jit, bytecode_sets");
            for (size_t j = 0; j < spec->nvariants; j++) {
                bool seen = false;
                for (size_t k = 0; k < j; k++)
                    seen |= strcmp(spec->variants[k].key, spec->variants[j].key) == 0;
                if (!seen)
                    buf_printf(&keys, ", %s", spec->variants[j].key);
            }
            diag(fl->path, c->line, 0, "unknown flavour key '%s' (known: %s)", c->key, keys.s);
            buf_free(&keys);
            continue;
        }
        if (!c->value || !variant_known(spec, c->key, c->value, NULL)) {
            Buf vals = {0};
            for (size_t j = 0; j < spec->nvariants; j++)
                if (strcmp(spec->variants[j].key, c->key) == 0)
                    buf_printf(&vals, "%s\"%s\"", vals.len ? ", " : "", spec->variants[j].value);
            diag(fl->path, c->line, 0, "%s must be one of %s", c->key, vals.s);
            buf_free(&vals);
        }
    }
}
