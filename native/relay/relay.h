/*
 * micronetes-relay: the native data path of Micronetes' round-robin TCP proxy (Linux).
 *
 * The orchestrator starts one relay process and drives it with one-line commands on stdin;
 * the relay answers and reports on stdout (see protocol.c and docs/proxy.md). Worker threads,
 * each with an epoll loop of its own, accept on the binding ports and move the bytes; the
 * control thread (main) reads commands, binds ports and reports counters.
 */
#ifndef MICRONETES_RELAY_H
#define MICRONETES_RELAY_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#define MAX_WORKERS 4

/* counters of one replica of one binding; kept for the binding's life, as names come and go */
struct replica_counters {
    char *name;
    uint64_t connections;
    uint64_t active;
    uint64_t bytes_in;  /* client -> replica */
    uint64_t bytes_out; /* replica -> client */
    struct replica_counters *next;
};

struct backend {
    struct replica_counters *counters;
    struct sockaddr_storage addr;
    socklen_t addr_len; /* 0: the host could not be resolved; counts as a backend that refuses */
};

struct binding {
    int id;
    int port;
    int wait_ms;
    int closing;
    pthread_mutex_t lock; /* guards backends and backend_count */
    struct backend *backends;
    int backend_count;
    uint32_t turns; /* atomic: the round-robin counter every worker takes turns from */
    struct replica_counters *counters; /* only the control thread adds to the list */
    char *last_report; /* control thread only: the last stats line sent */
    struct binding *next;
};

/* binding.c */
struct replica_counters *counters_for(struct binding *b, const char *name);
/* copies the next backend in turn (skipping `tried` of them is the caller's business) */
int next_backend(struct binding *b, struct backend *out);
int backend_count(struct binding *b);
void set_backends(struct binding *b, struct backend *list, int count);
char *format_stats(struct binding *b); /* malloc'd "stats <id> ..." without newline */

/* listen.c: binds 127.0.0.1 and ::1 at `port` (0 picks one), `count` sockets each (shared with
 * SO_REUSEPORT when count > 1). Fills fds (count * 2, -1 where no IPv6). On failure returns -1
 * with *failed_host and errno set. */
int listen_loopback(int port, int count, int *fds, const char **failed_host);

/* worker.c */
enum message_kind { MSG_LISTENER, MSG_WAKE, MSG_CLOSE };
void workers_start(int count);
int worker_count(void);
/* gives worker `index` a listening socket of binding `b` */
void worker_add_listener(int index, struct binding *b, int fd);
/* asks every worker to retry connections of `b` waiting for a backend */
void workers_wake(struct binding *b);
/* every worker closes b's listeners and connections; returns once all have */
void workers_close(struct binding *b);

/* atomics */
#define ATOMIC_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_RELAXED)
#define ATOMIC_SUB(p, v) __atomic_fetch_sub((p), (v), __ATOMIC_RELAXED)
#define ATOMIC_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)

#endif
