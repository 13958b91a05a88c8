/* The two VMs as child processes: digests through a pipe on their fd 3, stdout and stderr into
 * files of the work folder, stdin empty. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockstep.h"

int vmStart(Vm *vm, char *const argv[], const char *workDir)
{
    int p[2], out, err, in;
    snprintf(vm->outPath, sizeof vm->outPath, "%s/%s.out", workDir, vm->label);
    snprintf(vm->errPath, sizeof vm->errPath, "%s/%s.err", workDir, vm->label);
    vm->status = -1;
    vm->digests = NULL;
    if (pipe2(p, O_CLOEXEC) != 0) return -1;
    vm->pid = fork();
    if (vm->pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (vm->pid == 0) {
        out = open(vm->outPath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        err = open(vm->errPath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        in = open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || dup2(p[1], 3) < 0) _exit(127);
        execv(vm->path, argv);
        fprintf(stderr, "talc-lockstep: cannot run %s: %s\n", vm->path, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    vm->digests = fdopen(p[0], "r");
    return vm->digests ? 0 : -1;
}

void vmKill(Vm *vm)
{
    if (vm->pid > 0 && vm->status < 0) kill(vm->pid, SIGKILL);
}

int vmWait(Vm *vm)
{
    int st;
    if (vm->status >= 0 || vm->pid <= 0) return vm->status;
    while (waitpid(vm->pid, &st, 0) < 0) {
        if (errno != EINTR) return vm->status = 0x7f00;
    }
    if (vm->digests) fclose(vm->digests);
    vm->digests = NULL;
    return vm->status = st;
}

int vmExitedNormally(const Vm *vm) { return vm->status >= 0 && WIFEXITED(vm->status); }

void vmDescribeEnd(const Vm *vm, char *out, size_t size)
{
    if (vm->status < 0) snprintf(out, size, "still running");
    else if (WIFEXITED(vm->status)) snprintf(out, size, "exit status %d", WEXITSTATUS(vm->status));
    else if (WIFSIGNALED(vm->status)) snprintf(out, size, "killed by signal %d", WTERMSIG(vm->status));
    else snprintf(out, size, "wait status %d", vm->status);
}

/* the first lines of its stderr (a VM's report begins with what went wrong), indented */
void vmPrintStderr(const Vm *vm, int lines)
{
    FILE *f = fopen(vm->errPath, "r");
    char buf[512];
    int n = 0;
    if (!f) return;
    while (n < lines && fgets(buf, sizeof buf, f)) {
        printf("    %s: %s%s", vm->label, buf, strchr(buf, '\n') ? "" : "\n");
        n++;
    }
    fclose(f);
}
