/*
 * micronetes-watchdog: the orphan watchdog as a native program (src-main/core/orphan-watchdog.ts
 * is the same program on Node, for machines without a C compiler). About 1 MB resident where a
 * Node process costs 40.
 *
 *   micronetes-watchdog [GRACE_MS]
 *
 * The orchestrator starts it in a process group of its own and writes registrations on its stdin,
 * one JSON object a line (orphan-guard-protocol.ts):
 *   {"op":"replica","pgid":N,"startTime":N[,"cgroup":"/sys/fs/cgroup/..."]}
 *   {"op":"forget-replica","pgid":N}
 *   {"op":"container","id":"HEX","engine":"unix:/path" | "tcp:host:port"}
 *   {"op":"forget-container","id":"HEX"}
 * When stdin closes, whatever the reason, it sends SIGTERM to every registered replica (all of its
 * cgroup, or its process group, session and their descendants), SIGKILL after GRACE_MS to what is
 * left, removes every registered container (DELETE /containers/ID?force=true&v=true), and exits.
 * A replica is only signalled while its leader is the process registered (same start time), so a
 * reused pid never hits an unrelated process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "watchdog.h"

#define DEFAULT_GRACE_MS 2000
#define KILL_WAIT_MS 5000
#define ENGINE_TIMEOUT_S 5
#define POLL_MS 10

static struct replica *replicas;
static struct container *containers;

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void forget_replica(long pgid) {
    for (struct replica **r = &replicas; *r; r = &(*r)->next) {
        if ((*r)->pgid == pgid) {
            struct replica *gone = *r;
            *r = gone->next;
            free(gone);
            return;
        }
    }
}

static void forget_container(const char *id) {
    for (struct container **c = &containers; *c; c = &(*c)->next) {
        if (strcmp((*c)->id, id) == 0) {
            struct container *gone = *c;
            *c = gone->next;
            free(gone);
            return;
        }
    }
}

static void on_line(char *line) {
    char op[32], text[PATH_TEXT];
    long long number;
    if (!json_string(line, "op", op, sizeof op)) return;
    if (strcmp(op, "replica") == 0) {
        long long start;
        if (!json_number(line, "pgid", &number) || !json_number(line, "startTime", &start) || number <= 0) return;
        forget_replica((long)number);
        struct replica *r = calloc(1, sizeof *r);
        if (!r) return;
        r->pgid = (long)number;
        r->start_time = start;
        if (json_string(line, "cgroup", text, sizeof text)) snprintf(r->cgroup, sizeof r->cgroup, "%s", text);
        r->next = replicas;
        replicas = r;
    } else if (strcmp(op, "forget-replica") == 0) {
        if (json_number(line, "pgid", &number)) forget_replica((long)number);
    } else if (strcmp(op, "container") == 0) {
        char id[80];
        if (!json_string(line, "id", id, sizeof id) || !json_string(line, "engine", text, sizeof text)) return;
        forget_container(id);
        struct container *c = calloc(1, sizeof *c);
        if (!c) return;
        snprintf(c->id, sizeof c->id, "%s", id);
        snprintf(c->engine, sizeof c->engine, "%s", text);
        c->next = containers;
        containers = c;
    } else if (strcmp(op, "forget-container") == 0) {
        if (json_string(line, "id", text, sizeof text)) forget_container(text);
    }
}

/* reads registrations until the orchestrator's end of the pipe closes */
static void read_registrations(void) {
    static char buffer[1 << 16];
    size_t used = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buffer + used, sizeof buffer - 1 - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        used += (size_t)n;
        buffer[used] = '\0';
        char *start = buffer, *newline;
        while ((newline = memchr(start, '\n', used - (size_t)(start - buffer)))) {
            *newline = '\0';
            on_line(start);
            start = newline + 1;
        }
        used -= (size_t)(start - buffer);
        memmove(buffer, start, used);
        /* a line longer than the buffer is no message: drop it */
        if (used == sizeof buffer - 1) used = 0;
    }
}

/* one request to the engine, in a child of its own so that every container is removed at once
 * and a stuck engine holds nothing up for more than ENGINE_TIMEOUT_S */
static pid_t remove_container(const struct container *c) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    alarm(ENGINE_TIMEOUT_S);
    int fd = -1;
    if (strncmp(c->engine, "unix:", 5) == 0) {
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        snprintf(address.sun_path, sizeof address.sun_path, "%s", c->engine + 5);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) _exit(1);
    } else if (strncmp(c->engine, "tcp:", 4) == 0) {
        char host[PATH_TEXT];
        snprintf(host, sizeof host, "%s", c->engine + 4);
        char *colon = strrchr(host, ':');
        if (!colon) _exit(1);
        *colon = '\0';
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *found;
        if (getaddrinfo(host, colon + 1, &hints, &found) != 0) _exit(1);
        for (struct addrinfo *a = found; a && fd < 0; a = a->ai_next) {
            fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
                close(fd);
                fd = -1;
            }
        }
        if (fd < 0) _exit(1);
    } else {
        _exit(1);
    }
    char request[512];
    int length = snprintf(request, sizeof request,
                          "DELETE /containers/%s?force=true&v=true HTTP/1.1\r\nHost: docker\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", c->id);
    if (write(fd, request, (size_t)length) != length) _exit(1);
    /* the engine answers once the container is gone, then closes (Connection: close) */
    char answer[4096];
    while (read(fd, answer, sizeof answer) > 0) {
    }
    _exit(0);
}

static int write_file(const char *dir, const char *file, const char *text) {
    char path[PATH_TEXT + 32];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t length = strlen(text);
    int ok = write(fd, text, length) == (ssize_t)length;
    close(fd);
    return ok;
}

static int read_file(const char *dir, const char *file, char *into, size_t size) {
    char path[PATH_TEXT + 32];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, into, size - 1);
    close(fd);
    into[n > 0 ? n : 0] = '\0';
    return n > 0;
}

/* SIGKILL to every member; for a cgroup, freezing it first (or cgroup.kill) so nothing forks meanwhile */
static void kill_replica(struct replica *r) {
    if (r->cgroup[0]) {
        if (write_file(r->cgroup, "cgroup.kill", "1")) {
            signal_members(r, SIGKILL);
            return;
        }
        char state[256];
        int v2 = read_file(r->cgroup, "cgroup.freeze", state, sizeof state);
        int v1 = !v2 && read_file(r->cgroup, "freezer.state", state, sizeof state);
        if ((v2 && write_file(r->cgroup, "cgroup.freeze", "1")) || (v1 && write_file(r->cgroup, "freezer.state", "FROZEN"))) {
            long long deadline = now_ms() + 1000;
            for (;;) {
                int frozen = v2 ? read_file(r->cgroup, "cgroup.events", state, sizeof state) && strstr(state, "frozen 1")
                                : read_file(r->cgroup, "freezer.state", state, sizeof state) && strncmp(state, "FROZEN", 6) == 0;
                if (frozen || now_ms() >= deadline) break;
                sleep_ms(5);
            }
            signal_members(r, SIGKILL);
            write_file(r->cgroup, v2 ? "cgroup.freeze" : "freezer.state", v2 ? "0" : "THAWED");
            return;
        }
    }
    for (int round = 0; round < 20 && signal_members(r, SIGKILL); round++) sleep_ms(10);
}

static void remove_cgroup(const struct replica *r) {
    if (!r->cgroup[0]) return;
    rmdir(r->cgroup);
    /* the orchestrator's own cgroup holding its replicas' ones, once the last is gone */
    char parent[PATH_TEXT];
    snprintf(parent, sizeof parent, "%s", r->cgroup);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        rmdir(parent);
    }
}

static void reap(int grace_ms) {
    int engine_requests = 0;
    for (struct container *c = containers; c; c = c->next) {
        if (remove_container(c) > 0) engine_requests++;
    }
    enum { TERMINATED, KILLED, DONE };
    int pending = 0;
    for (struct replica *r = replicas; r; r = r->next) {
        r->phase = signal_members(r, SIGTERM) ? TERMINATED : DONE;
        if (r->phase != DONE) pending++;
    }
    long long grace_end = now_ms() + grace_ms;
    long long kill_end = 0;
    while (pending > 0) {
        for (struct replica *r = replicas; r; r = r->next) {
            if (r->phase == DONE) continue;
            if (!replica_alive(r)) {
                r->phase = DONE;
                pending--;
            } else if (r->phase == TERMINATED && now_ms() >= grace_end) {
                kill_replica(r);
                r->phase = KILLED;
                if (!kill_end) kill_end = now_ms() + KILL_WAIT_MS;
            } else if (r->phase == KILLED && now_ms() >= kill_end) {
                r->phase = DONE;
                pending--;
            }
        }
        if (pending > 0) sleep_ms(POLL_MS);
    }
    for (struct replica *r = replicas; r; r = r->next) remove_cgroup(r);
    while (engine_requests > 0 && wait(NULL) > 0) engine_requests--;
}

int main(int argc, char **argv) {
    int grace_ms = argc > 1 ? atoi(argv[1]) : 0;
    if (grace_ms <= 0) grace_ms = DEFAULT_GRACE_MS;
    /* the orchestrator's death may come with signals meant for its terminal: outlive them */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    read_registrations();
    reap(grace_ms);
    return 0;
}
