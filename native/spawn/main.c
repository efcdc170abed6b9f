/*
 * micronetes-spawn: starts replicas for the orchestrator, so that the orchestrator, a Node
 * process of tens of megabytes, never forks itself. A fork copies the forking process's page
 * tables and makes its heap copy-on-write, which is what made each of Node's spawn() calls cost
 * one to two milliseconds; this process is a few hundred kilobytes and uses posix_spawn (a
 * vfork), so starting 200 replicas costs it about a tenth of that.
 *
 *   micronetes-spawn SOCKET_PATH
 *
 * It listens on SOCKET_PATH (in a directory only its user can enter, which it removes with the
 * socket when it exits) and says "ready". The
 * orchestrator connects there twice for each replica that should have its output read, and
 * writes on each connection a token: the request's id in ten digits, a space, and 1 or 2 (the
 * fd the connection becomes in the replica). It writes requests on stdin, fields NUL-terminated:
 *   spawn ID FLAGS CWD FILE ARGC ARGV... ENVC ENV...   (FLAGS "c": stdout and stderr on the
 *                                                       id's channels; "-": on /dev/null)
 *   drop ID                                            (the orchestrator gave the id up)
 * and reads replies on stdout, a line each:
 *   ready | spawned ID PID | failed ID ERRNO | exited ID code N | exited ID signal N
 * Each replica gets a session of its own, stdin on /dev/null, the working directory, default
 * signal handling and an empty signal mask. FILE is a path: the orchestrator has searched PATH.
 * When stdin closes, it exits; it never signals a replica (the orphan watchdog does that).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawner.h"

#define LISTEN_BACKLOG 4096
#define READ_BYTES 65536

struct channel {
    int fd;
    unsigned long id;
    int stream;
    int whole;
    char token[TOKEN_BYTES];
    size_t have;
    struct channel *next;
};

struct child {
    pid_t pid;
    unsigned long id;
    struct child *next;
};

struct dropped {
    unsigned long id;
    struct dropped *next;
};

static struct channel *channels;
static struct request *waiting;
static struct child *children;
static struct dropped *dropped_ids;
static int epoll_fd;
/* the spawner's own working directory, to return to after each spawn */
static int home;

static char *replies;
static size_t replies_len, replies_cap;

static void reply(const char *format, ...) {
    char line[96];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (n < 0) return;
    if (replies_len + (size_t)n > replies_cap) {
        size_t cap = replies_cap ? replies_cap * 2 : 4096;
        while (cap < replies_len + (size_t)n) cap *= 2;
        char *grown = realloc(replies, cap);
        if (!grown) abort();
        replies = grown;
        replies_cap = cap;
    }
    memcpy(replies + replies_len, line, (size_t)n);
    replies_len += (size_t)n;
}

/* replies go out once per turn of the loop: one write for a batch of starts */
static void flush_replies(void) {
    size_t at = 0;
    while (at < replies_len) {
        ssize_t n = write(STDOUT_FILENO, replies + at, replies_len - at);
        if (n < 0 && errno == EINTR) continue;
        /* the orchestrator is gone */
        if (n < 0) exit(0);
        at += (size_t)n;
    }
    replies_len = 0;
}

static void spawn_replica(struct request *r, int out, int err) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    pid_t pid;
    /*
     * The child starts in the spawner's working directory: the spawner moves there for the spawn
     * and back (it has one thread, so nothing else sees it), which any C library can do;
     * posix_spawn_file_actions_addchdir_np needs glibc 2.29.
     */
    int failure = chdir(r->cwd) == 0 ? posix_spawn(&pid, r->file, &actions, &attr, r->argv, r->envp) : errno;
    if (fchdir(home) != 0) {
        fprintf(stderr, "micronetes-spawn: cannot return to its own directory: %s\n", strerror(errno));
        exit(2);
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (failure) {
        reply("failed %lu %d\n", r->id, failure);
        return;
    }
    struct child *c = malloc(sizeof *c);
    if (!c) abort();
    c->pid = pid;
    c->id = r->id;
    c->next = children;
    children = c;
    reply("spawned %lu %d\n", r->id, (int)pid);
}

static struct channel **find_channel(unsigned long id, int stream) {
    for (struct channel **c = &channels; *c; c = &(*c)->next)
        if ((*c)->whole && (*c)->id == id && (*c)->stream == stream) return c;
    return NULL;
}

static void close_channel(struct channel **link) {
    struct channel *gone = *link;
    *link = gone->next;
    close(gone->fd);
    free(gone);
}

/* starts the request if everything it needs is here; 1 when it was handled */
static int try_request(struct request *r) {
    if (!r->channels) {
        spawn_replica(r, -1, -1);
        return 1;
    }
    struct channel **out = find_channel(r->id, 1);
    struct channel **err = find_channel(r->id, 2);
    if (!out || !err) return 0;
    spawn_replica(r, (*out)->fd, (*err)->fd);
    /* the replica has its own copies now */
    close_channel(find_channel(r->id, 1));
    close_channel(find_channel(r->id, 2));
    return 1;
}

static void try_waiting(unsigned long id) {
    for (struct request **r = &waiting; *r; r = &(*r)->next) {
        if ((*r)->id != id) continue;
        struct request *found = *r;
        if (try_request(found)) {
            *r = found->next;
            request_free(found);
        }
        return;
    }
}

static int was_dropped(unsigned long id) {
    for (struct dropped *d = dropped_ids; d; d = d->next)
        if (d->id == id) return 1;
    return 0;
}

static void drop(unsigned long id) {
    for (struct request **r = &waiting; *r;) {
        if ((*r)->id == id) {
            struct request *gone = *r;
            *r = gone->next;
            request_free(gone);
        } else {
            r = &(*r)->next;
        }
    }
    for (struct channel **c = &channels; *c;) {
        if ((*c)->whole && (*c)->id == id) close_channel(c);
        else c = &(*c)->next;
    }
    /* a token of this id may still be on its way */
    struct dropped *d = malloc(sizeof *d);
    if (!d) abort();
    d->id = id;
    d->next = dropped_ids;
    dropped_ids = d;
}

static void on_request(struct request *r) {
    if (try_request(r)) {
        request_free(r);
        return;
    }
    r->next = waiting;
    waiting = r;
}

/* reads what stdin holds; returns 0 at its end */
static int read_requests(void) {
    static char *buf;
    static size_t len, cap;
    for (;;) {
        if (cap - len < READ_BYTES) {
            size_t grown_cap = cap ? cap * 2 : 2 * READ_BYTES;
            char *grown = realloc(buf, grown_cap);
            if (!grown) abort();
            buf = grown;
            cap = grown_cap;
        }
        ssize_t n = read(STDIN_FILENO, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) return 0;
        len += (size_t)n;
    }
    size_t at = 0;
    for (;;) {
        struct request *r;
        unsigned long dropped_id = 0;
        long used = parse_record(buf + at, len - at, &r, &dropped_id);
        if (used == 0) break;
        if (used < 0) {
            fprintf(stderr, "micronetes-spawn: a malformed request on stdin\n");
            exit(2);
        }
        at += (size_t)used;
        if (r) on_request(r);
        else drop(dropped_id);
    }
    memmove(buf, buf + at, len - at);
    len -= at;
    return 1;
}

static void on_token(struct channel *c) {
    unsigned long id;
    int stream;
    int done = read_token(c->fd, c->token, &c->have, &id, &stream);
    if (done == 0) return;
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    struct channel **link = &channels;
    while (*link != c) link = &(*link)->next;
    if (done < 0 || was_dropped(id) || find_channel(id, stream)) {
        close_channel(link);
        return;
    }
    c->id = id;
    c->stream = stream;
    c->whole = 1;
    try_waiting(id);
}

static void accept_channels(int listener) {
    for (;;) {
        /* blocking, unlike the listener: a replica writing to a full socket must wait, not get EAGAIN */
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            return;
        }
        struct channel *c = calloc(1, sizeof *c);
        if (!c) abort();
        c->fd = fd;
        c->next = channels;
        channels = c;
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
        on_token(c);
    }
}

static void reap_children(int signals) {
    struct signalfd_siginfo info;
    while (read(signals, &info, sizeof info) == sizeof info) {
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (struct child **c = &children; *c; c = &(*c)->next) {
            if ((*c)->pid != pid) continue;
            struct child *gone = *c;
            if (WIFSIGNALED(status)) reply("exited %lu signal %d\n", gone->id, WTERMSIG(status));
            else reply("exited %lu code %d\n", gone->id, WEXITSTATUS(status));
            *c = gone->next;
            free(gone);
            break;
        }
    }
}

static int listen_at(const char *path) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "micronetes-spawn: socket path too long: %s\n", path);
        exit(2);
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        fprintf(stderr, "micronetes-spawn: cannot listen on %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return fd;
}

/* the socket and its directory, which is the spawner's alone */
static void remove_socket(const char *path) {
    unlink(path);
    char *dir = strdup(path);
    if (dir) rmdir(dirname(dir));
    free(dir);
}

/* markers for the three fds that are not channels */
static char stdin_marker, listener_marker, signals_marker;

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: micronetes-spawn SOCKET_PATH\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child_signal, NULL);
    int signals = signalfd(-1, &child_signal, SFD_NONBLOCK | SFD_CLOEXEC);
    home = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int listener = listen_at(argv[1]);
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (signals < 0 || epoll_fd < 0 || home < 0) {
        fprintf(stderr, "micronetes-spawn: %s\n", strerror(errno));
        return 2;
    }
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = &stdin_marker};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, STDIN_FILENO, &event);
    event.data.ptr = &listener_marker;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);
    event.data.ptr = &signals_marker;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, signals, &event);
    reply("ready\n");
    flush_replies();

    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(epoll_fd, events, 64, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return 2;
        int open = 1;
        for (int i = 0; i < n; i++) {
            void *what = events[i].data.ptr;
            if (what == &stdin_marker) open = read_requests();
            else if (what == &listener_marker) accept_channels(listener);
            else if (what == &signals_marker) reap_children(signals);
            else on_token(what);
        }
        flush_replies();
        if (!open) {
            remove_socket(argv[1]);
            return 0;
        }
    }
}
