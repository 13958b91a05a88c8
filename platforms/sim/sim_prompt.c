/* The prompt's input: one line of stdin at a time (no line-editing library), turned into Lua.
 * Short commands stand for the usual calls; any other line is Lua, and a line that is an
 * expression has its values printed. Lines read from a pipe are echoed after the prompt, so
 * that a transcript reads as a session. */
#include <lauxlib.h>
#include <lua.h>
#include <string.h>
#include <unistd.h>

#include "sim_debug.h"

const char simPromptHelp[] =
    "commands (any other line is Lua; an expression's values are printed):\n"
    "  c, continue        run to the next stop          s, step     one bytecode\n"
    "  n, next            step over sends               f, finish   run until this method returns\n"
    "  bt [N]             backtrace of the active process (N frames)\n"
    "  where              why and where the VM stopped  p EXPR      print EXPR with talc.show\n"
    "  b SELECTOR         break on sends of SELECTOR    bm Class>>selector   break on entering it\n"
    "  breakpoints        list them                     delete N    delete breakpoint N\n"
    "  q, quit [STATUS]   end the run                   help        this text\n"
    "the API: talc.frames(), talc.frame(1).receiver:inspect(), talc.counters(), talc.vm.bytecodeCount,\n"
    "talc.watch(obj, 'slot'), talc.breakSend('sel', 'hit.args[1]:value() > 3') ... (docs/simulator.md)\n";

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
}

/* the Lua text for one command line */
static void translate(const char *line, SimText *lua)
{
    static const struct { const char *command, *lua; } simple[] = {
        {"c", "talc.continue()"}, {"continue", "talc.continue()"}, {"s", "talc.step()"}, {"step", "talc.step()"},
        {"n", "talc.next()"}, {"next", "talc.next()"}, {"f", "talc.finish()"}, {"finish", "talc.finish()"},
        {"where", "print(talc.where())"}, {"breakpoints", "for _, b in ipairs(talc.breakpoints()) do print(b.id, b.description, b.enabled and '' or '(disabled)', b.hits .. ' hits') end"},
        {"help", "io.write(talc.help)"}, {"h", "io.write(talc.help)"}, {"?", "io.write(talc.help)"}};
    const char *rest;
    size_t i, n = strcspn(line, " \t");
    lua_State *probe;
    rest = line + n + strspn(line + n, " \t");
    for (i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (!strcmp(line, simple[i].command)) { simTextf(lua, "%s", simple[i].lua); return; }
    if (n == 2 && !strncmp(line, "bt", 2)) { simTextf(lua, "print(talc.backtrace(%s))", *rest ? rest : "20"); return; }
    if ((n == 1 && line[0] == 'q') || (n == 4 && !strncmp(line, "quit", 4))) { simTextf(lua, "talc.quit(%s)", rest); return; }
    if (n == 1 && line[0] == 'p' && *rest) { simTextf(lua, "print(talc.show(%s))", rest); return; }
    if (n == 1 && line[0] == 'b' && *rest) { simTextf(lua, "print('breakpoint ' .. talc.breakSend(%s%s%s))", "[[", rest, "]]"); return; }
    if (n == 2 && !strncmp(line, "bm", 2) && *rest) { simTextf(lua, "print('breakpoint ' .. talc.breakMethod(%s%s%s))", "[[", rest, "]]"); return; }
    if (n == 6 && !strncmp(line, "delete", 6) && *rest) { simTextf(lua, "talc.delete(%s)", rest); return; }
    /* an expression: print its values */
    probe = luaL_newstate();
    if (probe) {
        SimText ret = {0};
        int isExpression;
        simTextf(&ret, "return %s", line);
        isExpression = luaL_loadbuffer(probe, simTextString(&ret), ret.n, "=prompt") == LUA_OK;
        simTextFree(&ret);
        lua_close(probe);
        if (isExpression) {
            simTextf(lua, "local r = table.pack(%s\n) for i = 1, r.n do print(talc.show(r[i])) end", line);
            return;
        }
    }
    simTextf(lua, "%s", line);
}

int simPromptRead(SimText *lua)
{
    char line[4096];
    for (;;) {
        fputs("(talc) ", stdout);
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin)) {
            fputc('\n', stdout);
            return 0;
        }
        trim(line);
        if (!isatty(0)) printf("%s\n", line);
        if (line[strspn(line, " \t")] == '\0') continue;
        translate(line + strspn(line, " \t"), lua);
        return 1;
    }
}
