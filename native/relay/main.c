/*
 * The control thread: reads the orchestrator's commands on stdin, one per line, answers on
 * stdout, and reports changed counters every STATS_INTERVAL_MS. Names arrive percent-encoded
 * (no spaces) and are passed back as they came.
 *
 *   listen <id> <port> <wait ms> <threads>  -> listening <id> <port> | failed <id> <errno name> <host> <port>
 *   backends <id> [<replica> <host> <port>]...
 *   stats <id>                              -> stats <id> [<replica> <connections> <active> <bytes in> <bytes out>]...
 *   close <id>                              -> closed <id>
 *
 * On start it says `ready <workers>`. It exits when stdin closes, and (PR_SET_PDEATHSIG) when
 * the process that started it dies, so no relay outlives the orchestrator and holds a port.
 *   micronetes-relay [--threads N] [--parent PID]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "relay.h"

#define STATS_INTERVAL_MS 200
#define MAX_TOKENS_PER_BACKEND 3

static struct binding *bindings;

static struct binding *find(int id) {
    for (struct binding *b = bindings; b; b = b->next) {
        if (b->id == id) return b;
    }
    return NULL;
}

static void say(const char *line) {
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

static const char *errno_name(int error) {
    switch (error) {
    case EADDRINUSE: return "EADDRINUSE";
    case EACCES: return "EACCES";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOBUFS: return "ENOBUFS";
    default: return "EOTHER";
    }
}

static void on_listen(char **tokens, int count) {
    if (count < 5) return;
    int id = atoi(tokens[1]);
    int port = atoi(tokens[2]);
    int threads = atoi(tokens[4]);
    if (threads < 1) threads = 1;
    if (threads > worker_count()) threads = worker_count();
    int fds[MAX_WORKERS * 2];
    const char *failed_host = "127.0.0.1";
    int bound = listen_loopback(port, threads, fds, &failed_host);
    char line[160];
    if (bound < 0) {
        int error = errno;
        snprintf(line, sizeof line, "failed %d %s %s %d %s", id, errno_name(error), failed_host, port, strerror(error));
        return say(line);
    }
    struct binding *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->id = id;
    b->port = bound;
    b->wait_ms = atoi(tokens[3]);
    pthread_mutex_init(&b->lock, NULL);
    b->next = bindings;
    bindings = b;
    for (int i = 0; i < threads * 2; i++) {
        if (fds[i] >= 0) worker_add_listener(i % threads, b, fds[i]);
    }
    snprintf(line, sizeof line, "listening %d %d", id, bound);
    say(line);
}

static socklen_t resolve(const char *host, const char *port, struct sockaddr_storage *out) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *found = NULL;
    long number = strtol(port, NULL, 10);
    if (number < 1 || number > 65535 || getaddrinfo(host, port, &hints, &found) != 0 || !found) return 0;
    socklen_t len = found->ai_addrlen;
    memcpy(out, found->ai_addr, len);
    freeaddrinfo(found);
    return len;
}

static void on_backends(char **tokens, int count) {
    struct binding *b = count >= 2 ? find(atoi(tokens[1])) : NULL;
    if (!b) return;
    int backends = (count - 2) / MAX_TOKENS_PER_BACKEND;
    struct backend *list = backends > 0 ? calloc((size_t)backends, sizeof *list) : NULL;
    if (backends > 0 && !list) abort();
    for (int i = 0; i < backends; i++) {
        char **t = tokens + 2 + i * MAX_TOKENS_PER_BACKEND;
        list[i].counters = counters_for(b, t[0]);
        list[i].addr_len = resolve(t[1], t[2], &list[i].addr);
    }
    set_backends(b, list, backends);
    if (backends > 0) workers_wake(b);
}

static void report(struct binding *b, int always) {
    char *line = format_stats(b);
    if (always || !b->last_report || strcmp(line, b->last_report) != 0) say(line);
    free(b->last_report);
    b->last_report = line;
}

static void on_close(char **tokens, int count) {
    if (count < 2) return;
    int id = atoi(tokens[1]);
    struct binding **at = &bindings;
    while (*at && (*at)->id != id) at = &(*at)->next;
    struct binding *b = *at;
    if (b) {
        *at = b->next;
        __atomic_store_n(&b->closing, 1, __ATOMIC_RELAXED);
        /* every worker has let go of the binding when this returns */
        workers_close(b);
        while (b->counters) {
            struct replica_counters *next = b->counters->next;
            free(b->counters->name);
            free(b->counters);
            b->counters = next;
        }
        free(b->backends);
        free(b->last_report);
        pthread_mutex_destroy(&b->lock);
        free(b);
    }
    char line[48];
    snprintf(line, sizeof line, "closed %d", id);
    say(line);
}

static void command(char *line) {
    char *tokens[3 + 3 * 4096];
    int count = 0;
    int max = (int)(sizeof tokens / sizeof tokens[0]);
    for (char *save = NULL, *t = strtok_r(line, " ", &save); t && count < max; t = strtok_r(NULL, " ", &save)) {
        tokens[count++] = t;
    }
    if (count == 0) return;
    if (strcmp(tokens[0], "listen") == 0) on_listen(tokens, count);
    else if (strcmp(tokens[0], "backends") == 0) on_backends(tokens, count);
    else if (strcmp(tokens[0], "stats") == 0) {
        struct binding *b = count >= 2 ? find(atoi(tokens[1])) : NULL;
        if (b) report(b, 1);
        else if (count >= 2) {
            char answer[48];
            snprintf(answer, sizeof answer, "stats %d", atoi(tokens[1]));
            say(answer);
        }
    } else if (strcmp(tokens[0], "close") == 0) on_close(tokens, count);
}

int main(int argc, char **argv) {
    int threads = 1;
    long parent = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0) threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--parent") == 0) parent = strtol(argv[i + 1], NULL, 10);
    }
    if (threads < 1) threads = 1;
    if (threads > MAX_WORKERS) threads = MAX_WORKERS;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* the parent may have died before the line above */
    if (parent > 0 && getppid() != parent) return 1;
    signal(SIGPIPE, SIG_IGN);
    /* two descriptors per connection: take every one the system allows this process */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    workers_start(threads);
    char ready[32];
    snprintf(ready, sizeof ready, "ready %d", threads);
    say(ready);

    size_t size = 64 * 1024, used = 0;
    char *input = malloc(size);
    if (!input) abort();
    for (;;) {
        struct pollfd in = {.fd = 0, .events = POLLIN};
        int ready_count = poll(&in, 1, STATS_INTERVAL_MS);
        if (ready_count < 0 && errno != EINTR) return 1;
        if (ready_count > 0) {
            if (used == size) {
                size *= 2;
                input = realloc(input, size);
                if (!input) abort();
            }
            ssize_t n = read(0, input + used, size - used);
            /* the orchestrator is gone: the kernel closes every socket with the process */
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                free(input);
                /* already on the way out: a parent dying now must not SIGKILL the exit halfway
                 * (under LeakSanitizer that cut its leak check short with "Unable to get
                 * registers from thread N", a report with no leak in it) */
                prctl(PR_SET_PDEATHSIG, 0);
                return 0;
            }
            if (n > 0) used += (size_t)n;
            char *start = input;
            for (char *end; (end = memchr(start, '\n', used - (size_t)(start - input)));) {
                *end = '\0';
                command(start);
                start = end + 1;
            }
            used -= (size_t)(start - input);
            memmove(input, start, used);
        }
        for (struct binding *b = bindings; b; b = b->next) report(b, 0);
    }
}
