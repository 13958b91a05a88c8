/* Loads a flavour: a Lua file returning a table of build choices. Errors name the file's line. */
#include "talc_translate.h"

#include <ctype.h>
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The line of a key in the flavour text: Lua no longer knows it once the table is built. */
static unsigned key_line(const char *text, const char *key)
{
    size_t klen = strlen(key);
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            continue;
        }
        if (p[0] == '-' && p[1] == '-') { /* a comment cannot hold the key */
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        }
        if (strncmp(p, key, klen) == 0 && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
            !(isalnum((unsigned char)p[klen]) || p[klen] == '_')) {
            const char *q = p + klen;
            if (q[0] == '"' || q[0] == '\'')
                q++, q += (*q == ']');
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == ']')
                q++;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '=' && q[1] != '=')
                return line;
        }
    }
    return 1;
}

/* Lua reports "FILE:LINE: message"; turn it into the compiler-style "FILE:LINE: error: message". */
static void lua_failure(const char *path, const char *msg)
{
    size_t plen = strlen(path);
    if (msg && strncmp(msg, path, plen) == 0 && msg[plen] == ':' && isdigit((unsigned char)msg[plen + 1])) {
        char *end;
        unsigned long line = strtoul(msg + plen + 1, &end, 10);
        if (*end == ':') {
            end++;
            while (*end == ' ')
                end++;
            diag(path, (unsigned)line, 0, "%s", end);
            return;
        }
    }
    diag(path, 1, 0, "%s", msg ? msg : "Lua error");
}

typedef struct {
    char key[64];
    unsigned line;
    char msg[240];
} KeyError;

static int cmp_keyerror(const void *a, const void *b)
{
    const KeyError *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return strcmp(x->key, y->key);
}

bool flavour_load(const char *path, Flavour *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        diag(path, 0, 0, "cannot read flavour: %s", strerror(errno));
        return false;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t blen = strlen(base);
    if (blen > 4 && strcmp(base + blen - 4, ".lua") == 0)
        blen -= 4;
    out->name = xstrndup(base, blen);
    out->path = xstrdup(path);
    out->word_size = 0;
    out->bytecode_sets = SET_V3 | SET_SISTA;

    int errors_before = g_error_count;
    lua_State *L = luaL_newstate();
    if (!L) {
        diag(path, 0, 0, "cannot create a Lua state");
        free(text);
        return false;
    }
    luaL_openlibs(L);
    if (luaL_loadfile(L, path) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        lua_failure(path, lua_tostring(L, -1));
        goto done;
    }
    if (!lua_istable(L, -1)) {
        diag(path, 1, 0, "a flavour must return a table (got %s)", luaL_typename(L, -1));
        goto done;
    }

    KeyError errs[64];
    size_t nerrs = 0;
    bool seen_word = false;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        /* value at -1, key at -2; never lua_tostring a number key in place (it would confuse next) */
        if (lua_type(L, -2) != LUA_TSTRING) {
            if (nerrs < 64) {
                errs[nerrs].key[0] = 0;
                errs[nerrs].line = 1;
                snprintf(errs[nerrs].msg, sizeof errs[nerrs].msg, "flavour keys must be names (got a %s key)",
                         luaL_typename(L, -2));
                nerrs++;
            }
            lua_pop(L, 1);
            continue;
        }
        const char *key = lua_tostring(L, -2);
        const char *problem = NULL;
        char detail[160] = "";
        if (strcmp(key, "word_size") == 0) {
            if (lua_isinteger(L, -1) && (lua_tointeger(L, -1) == 32 || lua_tointeger(L, -1) == 64)) {
                out->word_size = (int)lua_tointeger(L, -1);
                seen_word = true;
            } else
                problem = "word_size must be 32 or 64";
        } else if (strcmp(key, "assertions") == 0) {
            const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            if (v && strcmp(v, "none") == 0)
                out->assertions_build = false;
            else if (v && strcmp(v, "build") == 0)
                out->assertions_build = true;
            else
                problem = "assertions must be \"none\" or \"build\"";
        } else if (strcmp(key, "dispatch") == 0) {
            const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            if (v && strcmp(v, "goto") == 0)
                out->dispatch_switch = false;
            else if (v && strcmp(v, "switch") == 0)
                out->dispatch_switch = true;
            else
                problem = "dispatch must be \"goto\" or \"switch\"";
        } else if (strcmp(key, "jit") == 0) {
            if (!lua_isboolean(L, -1))
                problem = "jit must be true or false";
            else if (lua_toboolean(L, -1))
                problem = "jit = true: this spec has no JIT yet (use false)";
        } else if (strcmp(key, "bytecode_sets") == 0) {
            /* a list of set names: "v3" (V3PlusClosures), "sista" (Sista V1) */
            unsigned sets = 0;
            if (!lua_istable(L, -1))
                problem = "bytecode_sets must be a list of \"v3\" and/or \"sista\"";
            else {
                lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
                for (lua_Integer k = 1; k <= n && !problem; k++) {
                    lua_rawgeti(L, -1, k);
                    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                    if (v && strcmp(v, "v3") == 0)
                        sets |= SET_V3;
                    else if (v && strcmp(v, "sista") == 0)
                        sets |= SET_SISTA;
                    else
                        problem = "bytecode_sets must be a list of \"v3\" and/or \"sista\"";
                    lua_pop(L, 1);
                }
                if (!problem && !sets)
                    problem = "bytecode_sets must name at least one set";
                out->bytecode_sets = sets;
            }
        } else {
            /* a variant key of the spec (VARIANT_TABLE), checked once the spec is read */
            GROW(out->choices, out->nchoices, out->cchoices);
            FlavourChoice *c = &out->choices[out->nchoices++];
            c->key = xstrdup(key);
            c->value = lua_type(L, -1) == LUA_TSTRING ? xstrdup(lua_tostring(L, -1)) : NULL;
            c->line = key_line(text, key);
        }
        if ((problem || detail[0]) && nerrs < 64) {
            snprintf(errs[nerrs].key, sizeof errs[nerrs].key, "%s", key);
            errs[nerrs].line = key_line(text, key);
            snprintf(errs[nerrs].msg, sizeof errs[nerrs].msg, "%s", problem ? problem : detail);
            nerrs++;
        }
        lua_pop(L, 1);
    }
    qsort(errs, nerrs, sizeof errs[0], cmp_keyerror);
    for (size_t i = 0; i < nerrs; i++)
        diag(path, errs[i].line, 0, "%s", errs[i].msg);
    if (!nerrs && !seen_word)
        diag(path, 1, 0, "the flavour does not set word_size (32 or 64)");
done:
    lua_close(L);
    free(text);
    return g_error_count == errors_before;
}

void flavour_free(Flavour *f)
{
    free(f->name);
    free(f->path);
    for (size_t i = 0; i < f->nchoices; i++) {
        free(f->choices[i].key);
        free(f->choices[i].value);
    }
    free(f->choices);
    f->name = f->path = NULL;
    f->choices = NULL;
    f->nchoices = 0;
}
