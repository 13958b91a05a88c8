/* talc-lockstep: talc and talc-sim run the same image side by side, deterministic, each writing a
 * digest of its state every N bytecodes into a pipe; the first digest that differs is the
 * divergence. See main.c. */
#ifndef TALC_LOCKSTEP_H
#define TALC_LOCKSTEP_H

#include <stdio.h>
#include <sys/types.h>

#define MaxRecordFields 24
#define MaxRecordBytes 2048

/* one VM run: the child, its digest pipe, its stdout and stderr in files */
typedef struct {
    const char *label;    /* "talc" or "talc-sim" */
    const char *path;
    pid_t pid;
    FILE *digests;        /* the read end of its digest pipe */
    char outPath[4200], errPath[4200];
    int status;           /* the wait status once reaped; -1 before */
} Vm;

/* one digest record: the line, its fields split (the last, the method's name, may hold spaces) */
typedef struct {
    char line[MaxRecordBytes];
    char text[MaxRecordBytes];
    char *field[MaxRecordFields];
    int count;            /* fields */
    long long bytecodes;  /* the first field */
} Record;

/* vms.c: argv is the VM's command line, argv[0] included; the digests go to its fd 3 */
int vmStart(Vm *vm, char *const argv[], const char *workDir);
void vmKill(Vm *vm);
int vmWait(Vm *vm);
int vmExitedNormally(const Vm *vm);
void vmDescribeEnd(const Vm *vm, char *out, size_t size);
void vmPrintStderr(const Vm *vm, int lines);

/* records.c */
int recordRead(FILE *f, Record *r, char *header, size_t headerSize); /* 1 a record, 0 the end */
int recordsEqual(const Record *a, const Record *b);
int recordFieldsDiffer(const Record *a, const Record *b, int from);   /* first differing field >= from, -1 */
const char *recordFieldName(const char *header, int index, char *out, size_t size);
const char *recordMethod(const Record *r);                            /* the name field */
void recordCopy(Record *dst, const Record *src);

#endif
