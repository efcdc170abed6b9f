/* A binding's backends, its round-robin turns and its per-replica counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"

struct replica_counters *counters_for(struct binding *b, const char *name) {
    struct replica_counters **tail = &b->counters;
    for (; *tail; tail = &(*tail)->next) {
        if (strcmp((*tail)->name, name) == 0) return *tail;
    }
    struct replica_counters *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->name = strdup(name);
    if (!c->name) abort();
    *tail = c;
    return c;
}

int next_backend(struct binding *b, struct backend *out) {
    pthread_mutex_lock(&b->lock);
    int count = b->backend_count;
    if (count > 0) {
        /* atomic: connections go round the backends in order whichever worker accepted them */
        uint32_t turn = ATOMIC_ADD(&b->turns, 1);
        *out = b->backends[turn % (uint32_t)count];
    }
    pthread_mutex_unlock(&b->lock);
    return count;
}

int backend_count(struct binding *b) {
    pthread_mutex_lock(&b->lock);
    int count = b->backend_count;
    pthread_mutex_unlock(&b->lock);
    return count;
}

void set_backends(struct binding *b, struct backend *list, int count) {
    pthread_mutex_lock(&b->lock);
    struct backend *old = b->backends;
    b->backends = list;
    b->backend_count = count;
    pthread_mutex_unlock(&b->lock);
    free(old);
}

char *format_stats(struct binding *b) {
    size_t size = 64;
    for (struct replica_counters *c = b->counters; c; c = c->next) size += strlen(c->name) + 5 * 21;
    char *line = malloc(size);
    if (!line) abort();
    size_t used = (size_t)snprintf(line, size, "stats %d", b->id);
    for (struct replica_counters *c = b->counters; c; c = c->next) {
        used += (size_t)snprintf(line + used, size - used, " %s %llu %llu %llu %llu", c->name,
                                 (unsigned long long)ATOMIC_LOAD(&c->connections),
                                 (unsigned long long)ATOMIC_LOAD(&c->active),
                                 (unsigned long long)ATOMIC_LOAD(&c->bytes_in),
                                 (unsigned long long)ATOMIC_LOAD(&c->bytes_out));
    }
    return line;
}
