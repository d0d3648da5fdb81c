/* sd_thread: a helper thread that takes no signals. */
#ifndef SD_THREAD_H
#define SD_THREAD_H

#include <pthread.h>

/* Starts fn(arg) in *t with every signal blocked there, so that signals
 * (SIGINT's and SIGTERM's stop) stay with the thread that started it, as
 * in a run of one thread. pthread_create's result: 0, or an error number. */
int sd_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
