/* GC on a copy of the heap (gc_copy.c): the harness's side. */
#ifndef TALC_GC_COPY_H
#define TALC_GC_COPY_H

int simGCCopyOption(int argc, char **argv, int *i);
/* re-runs the collection that failed on a copy, on a fresh copy of the original; 1 if it failed
 * the same way again */
int simGCReplay(void);
long simGCCopiesRun(void);
double simGCCopySeconds(void);
void simSetGCCopy(int on);
/* after a collection failed on its copy and the replays ran: the scripting layer may take over
 * (it answers only by exiting) */
void simStopOnFailedGC(void);

#endif
