/*
 * A worker: one thread with an epoll loop that accepts on its listening sockets, connects each
 * new client to the next backend in turn (waiting for one when none answers), and relays bytes
 * both ways. Half-close is kept: a FIN from one side becomes a FIN to the other once what was
 * sent before it is delivered; a reset or error on one side resets the other.
 *
 * Level-triggered, one read per readiness: a read lands in the worker's one scratch buffer and
 * is written on at once; only bytes the kernel would not take yet are copied aside, and the
 * side they came from is not read again until they are delivered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"

#define SCRATCH_BYTES (256 * 1024)
#define EVENTS_PER_WAIT 256
/* while waiting for a backend, how often backends that refused are tried again */
#define RETRY_REFUSED_MS 100
/* a listener that ran out of file descriptors rests this long (else level-triggered epoll spins) */
#define ACCEPT_PAUSE_MS 100

enum endpoint_kind { EP_WAKE, EP_LISTENER, EP_CLIENT, EP_UPSTREAM };
enum conn_state { WAITING, CONNECTING, RELAYING, DEAD };

struct conn;

struct endpoint {
    int fd;
    int kind;
    int in_epoll;
    uint32_t registered;
    struct conn *conn;
};

/* bytes from one side to the other */
struct direction {
    struct endpoint *from, *to;
    char *pending; /* what `to` would not take yet; `from` is not read meanwhile */
    size_t pending_len, pending_off;
    int eof;  /* `from` has sent its FIN */
    int shut; /* ... and it was passed on to `to` */
};

struct conn {
    struct worker *worker;
    struct binding *binding;
    int state;
    struct endpoint client, upstream;
    struct direction dirs[2]; /* [0] client -> upstream, [1] upstream -> client */
    struct replica_counters *counters;
    int tried;
    int64_t deadline_ms, retry_at_ms;
    struct conn *prev, *next;           /* the worker's connections */
    struct conn *wait_prev, *wait_next; /* the worker's connections waiting for a backend */
};

struct listener {
    struct endpoint ep;
    struct binding *binding;
    int64_t resume_at_ms; /* out of the epoll set until then, after running out of descriptors */
    struct listener *next;
};

struct message {
    int kind;
    struct binding *binding;
    int fd;
    struct message *next;
};

struct worker {
    pthread_t thread;
    int epfd;
    struct endpoint wake;
    pthread_mutex_t lock; /* guards the inbox */
    struct message *inbox;
    struct listener *listeners;
    struct conn *conns;
    struct conn *waiting;
    int listeners_paused;
    struct conn *dead; /* freed after the current batch of events, which may still name them */
    char *scratch;
};

static struct worker workers[MAX_WORKERS];
static int workers_running;

static pthread_mutex_t close_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t close_done = PTHREAD_COND_INITIALIZER;
static int closes_pending;

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_interest(struct worker *w, struct endpoint *ep, uint32_t events) {
    if (events == ep->registered && (events != 0) == ep->in_epoll) return;
    if (events == 0) {
        /* out of the set entirely: epoll reports a hang-up even to a socket asking for nothing */
        if (ep->in_epoll) epoll_ctl(w->epfd, EPOLL_CTL_DEL, ep->fd, NULL);
        ep->in_epoll = 0;
    } else {
        struct epoll_event ev = {.events = events, .data.ptr = ep};
        epoll_ctl(w->epfd, ep->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, ep->fd, &ev);
        ep->in_epoll = 1;
    }
    ep->registered = events;
}

static void update_interest(struct conn *c, struct endpoint *ep) {
    uint32_t events = 0;
    for (int i = 0; i < 2; i++) {
        struct direction *d = &c->dirs[i];
        if (d->from == ep && !d->eof && !d->pending) events |= EPOLLIN;
        if (d->to == ep && d->pending) events |= EPOLLOUT;
    }
    set_interest(c->worker, ep, events);
}

static void unlink_waiting(struct conn *c) {
    struct worker *w = c->worker;
    if (c->wait_prev) c->wait_prev->wait_next = c->wait_next;
    else if (w->waiting == c) w->waiting = c->wait_next;
    else return;
    if (c->wait_next) c->wait_next->wait_prev = c->wait_prev;
    c->wait_prev = c->wait_next = NULL;
}

static void close_endpoint(struct endpoint *ep, int reset) {
    if (ep->fd < 0) return;
    if (reset) {
        struct linger linger = {.l_onoff = 1, .l_linger = 0};
        setsockopt(ep->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
    close(ep->fd);
    ep->fd = -1;
    ep->in_epoll = 0;
}

/* closes both sides; with `broken` (the side that failed), the other side is reset */
static void end_conn(struct conn *c, struct endpoint *broken) {
    if (c->state == DEAD) return;
    struct worker *w = c->worker;
    if (c->state == RELAYING) ATOMIC_SUB(&c->counters->active, 1);
    close_endpoint(&c->client, broken == &c->upstream);
    close_endpoint(&c->upstream, broken == &c->client);
    for (int i = 0; i < 2; i++) free(c->dirs[i].pending);
    unlink_waiting(c);
    if (c->prev) c->prev->next = c->next;
    else w->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->state = DEAD;
    c->next = w->dead;
    w->dead = c;
}

static void dispatch(struct conn *c);

static void wait_for_backend(struct conn *c, int backends) {
    struct worker *w = c->worker;
    int64_t now = now_ms();
    int64_t left = c->deadline_ms - now;
    if (left <= 0) return end_conn(c, NULL);
    c->state = WAITING;
    /* with backends that all refused, try them again soon; with none, a wake-up comes */
    c->retry_at_ms = now + (backends > 0 && left > RETRY_REFUSED_MS ? RETRY_REFUSED_MS : left);
    if (!c->wait_prev && w->waiting != c) {
        c->wait_next = w->waiting;
        if (w->waiting) w->waiting->wait_prev = c;
        w->waiting = c;
    }
}

/* tries each backend once, starting at the next in turn; waits if none answers */
static void dispatch(struct conn *c) {
    unlink_waiting(c);
    if (ATOMIC_LOAD(&c->binding->closing)) return end_conn(c, NULL);
    for (;;) {
        struct backend backend;
        int count = next_backend(c->binding, &backend);
        if (c->tried >= count) return wait_for_backend(c, count);
        c->tried++;
        if (backend.addr_len == 0) continue;
        int fd = socket(backend.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        if (connect(fd, (struct sockaddr *)&backend.addr, backend.addr_len) == 0 || errno == EINPROGRESS) {
            c->state = CONNECTING;
            c->counters = backend.counters;
            c->upstream = (struct endpoint){.fd = fd, .kind = EP_UPSTREAM, .conn = c};
            set_interest(c->worker, &c->upstream, EPOLLOUT);
            return;
        }
        close(fd);
    }
}

static void connected(struct conn *c) {
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(c->upstream.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error) {
        /* refused: the next backend in turn */
        close_endpoint(&c->upstream, 0);
        return dispatch(c);
    }
    c->state = RELAYING;
    ATOMIC_ADD(&c->counters->connections, 1);
    ATOMIC_ADD(&c->counters->active, 1);
    c->dirs[0] = (struct direction){.from = &c->client, .to = &c->upstream};
    c->dirs[1] = (struct direction){.from = &c->upstream, .to = &c->client};
    update_interest(c, &c->client);
    update_interest(c, &c->upstream);
}

static void passed_on(struct conn *c, struct direction *d) {
    if (d->eof && !d->pending && !d->shut) {
        shutdown(d->to->fd, SHUT_WR);
        d->shut = 1;
    }
    if (c->dirs[0].shut && c->dirs[1].shut) end_conn(c, NULL);
}

/* one read from `from`, written on to `to` */
static void pump(struct conn *c, struct direction *d) {
    char *scratch = c->worker->scratch;
    ssize_t n = recv(d->from->fd, scratch, SCRATCH_BYTES, 0);
    if (n > 0) {
        ATOMIC_ADD(d == &c->dirs[0] ? &c->counters->bytes_in : &c->counters->bytes_out, (uint64_t)n);
        ssize_t sent = send(d->to->fd, scratch, (size_t)n, MSG_NOSIGNAL);
        if (sent == n) return;
        if (sent < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) return end_conn(c, d->to);
            sent = 0;
        }
        d->pending_len = (size_t)(n - sent);
        d->pending_off = 0;
        d->pending = malloc(d->pending_len);
        if (!d->pending) abort();
        memcpy(d->pending, scratch + sent, d->pending_len);
        update_interest(c, d->from);
        update_interest(c, d->to);
        return;
    }
    if (n == 0) {
        d->eof = 1;
        update_interest(c, d->from);
        return passed_on(c, d);
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    end_conn(c, d->from);
}

/* writes what `to` would not take before */
static void flush(struct conn *c, struct direction *d) {
    ssize_t sent = send(d->to->fd, d->pending + d->pending_off, d->pending_len - d->pending_off, MSG_NOSIGNAL);
    if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        return end_conn(c, d->to);
    }
    d->pending_off += (size_t)sent;
    if (d->pending_off < d->pending_len) return;
    free(d->pending);
    d->pending = NULL;
    update_interest(c, d->from);
    update_interest(c, d->to);
    passed_on(c, d);
}

static void conn_event(struct endpoint *ep, uint32_t events) {
    struct conn *c = ep->conn;
    if (c->state == DEAD) return;
    if (c->state == CONNECTING) {
        if (ep == &c->upstream) connected(c);
        return;
    }
    if (c->state != RELAYING) return;
    struct direction *out = ep == &c->client ? &c->dirs[1] : &c->dirs[0]; /* towards ep */
    struct direction *in = ep == &c->client ? &c->dirs[0] : &c->dirs[1];  /* from ep */
    int handled = 0;
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && out->pending) {
        flush(c, out);
        handled = 1;
        if (c->state == DEAD) return;
    }
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && !in->eof && !in->pending) {
        pump(c, in);
        handled = 1;
    }
    /* an error on a socket that was asked for nothing it could answer */
    if (!handled && (events & EPOLLERR)) end_conn(c, ep);
}

static void accept_client(struct worker *w, struct listener *l) {
    int fd = accept4(l->ep.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            /* the connection stays in the backlog until descriptors are free again */
            set_interest(w, &l->ep, 0);
            l->resume_at_ms = now_ms() + ACCEPT_PAUSE_MS;
            w->listeners_paused = 1;
        }
        return;
    }
    if (ATOMIC_LOAD(&l->binding->closing)) {
        close(fd);
        return;
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    struct conn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->worker = w;
    c->binding = l->binding;
    c->client = (struct endpoint){.fd = fd, .kind = EP_CLIENT, .conn = c};
    c->upstream = (struct endpoint){.fd = -1, .kind = EP_UPSTREAM, .conn = c};
    c->deadline_ms = now_ms() + l->binding->wait_ms;
    c->next = w->conns;
    if (w->conns) w->conns->prev = c;
    w->conns = c;
    dispatch(c);
}

/* connections waiting for a backend of `b` (all bindings when NULL) whose time has come */
static void retry_waiting(struct worker *w, struct binding *b, int64_t now) {
    struct conn *c = w->waiting;
    while (c) {
        struct conn *next = c->wait_next;
        if (b ? c->binding == b : c->retry_at_ms <= now) {
            if (backend_count(c->binding) > 0) {
                c->tried = 0;
                dispatch(c);
            } else if (!b) {
                wait_for_backend(c, 0);
            }
        }
        c = next;
    }
}

static void resume_listeners(struct worker *w, int64_t now) {
    w->listeners_paused = 0;
    for (struct listener *l = w->listeners; l; l = l->next) {
        if (!l->resume_at_ms) continue;
        if (l->resume_at_ms > now) {
            w->listeners_paused = 1;
            continue;
        }
        l->resume_at_ms = 0;
        set_interest(w, &l->ep, EPOLLIN);
    }
}

static int next_timeout(struct worker *w) {
    if (!w->waiting && !w->listeners_paused) return -1;
    int64_t soonest = INT64_MAX;
    for (struct conn *c = w->waiting; c; c = c->wait_next) {
        if (c->retry_at_ms < soonest) soonest = c->retry_at_ms;
    }
    for (struct listener *l = w->listeners_paused ? w->listeners : NULL; l; l = l->next) {
        if (l->resume_at_ms && l->resume_at_ms < soonest) soonest = l->resume_at_ms;
    }
    int64_t left = soonest - now_ms();
    return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

static void close_binding(struct worker *w, struct binding *b) {
    for (struct listener **l = &w->listeners; *l;) {
        struct listener *gone = *l;
        if (gone->binding != b) {
            l = &gone->next;
            continue;
        }
        *l = gone->next;
        close(gone->ep.fd);
        free(gone);
    }
    for (struct conn *c = w->conns; c;) {
        struct conn *next = c->next;
        if (c->binding == b) end_conn(c, NULL);
        c = next;
    }
    pthread_mutex_lock(&close_lock);
    if (--closes_pending == 0) pthread_cond_broadcast(&close_done);
    pthread_mutex_unlock(&close_lock);
}

static void read_inbox(struct worker *w) {
    uint64_t count;
    if (read(w->wake.fd, &count, sizeof count) < 0) return;
    pthread_mutex_lock(&w->lock);
    struct message *m = w->inbox;
    w->inbox = NULL;
    pthread_mutex_unlock(&w->lock);
    /* the inbox is a stack: put it back in the order the messages were sent */
    struct message *ordered = NULL;
    while (m) {
        struct message *next = m->next;
        m->next = ordered;
        ordered = m;
        m = next;
    }
    while (ordered) {
        struct message *next = ordered->next;
        if (ordered->kind == MSG_LISTENER) {
            struct listener *l = calloc(1, sizeof *l);
            if (!l) abort();
            l->ep = (struct endpoint){.fd = ordered->fd, .kind = EP_LISTENER};
            l->binding = ordered->binding;
            l->next = w->listeners;
            w->listeners = l;
            set_interest(w, &l->ep, EPOLLIN);
        } else if (ordered->kind == MSG_WAKE) {
            retry_waiting(w, ordered->binding, 0);
        } else if (ordered->kind == MSG_CLOSE) {
            close_binding(w, ordered->binding);
        }
        free(ordered);
        ordered = next;
    }
}

static void *worker_main(void *arg) {
    struct worker *w = arg;
    struct epoll_event events[EVENTS_PER_WAIT];
    for (;;) {
        int n = epoll_wait(w->epfd, events, EVENTS_PER_WAIT, next_timeout(w));
        for (int i = 0; i < n; i++) {
            struct endpoint *ep = events[i].data.ptr;
            if (ep->kind == EP_WAKE) read_inbox(w);
            else if (ep->kind == EP_LISTENER) accept_client(w, (struct listener *)ep);
            else conn_event(ep, events[i].events);
        }
        if (w->waiting) retry_waiting(w, NULL, now_ms());
        if (w->listeners_paused) resume_listeners(w, now_ms());
        while (w->dead) {
            struct conn *next = w->dead->next;
            free(w->dead);
            w->dead = next;
        }
    }
    return NULL;
}

static void post(struct worker *w, int kind, struct binding *b, int fd) {
    struct message *m = malloc(sizeof *m);
    if (!m) abort();
    *m = (struct message){.kind = kind, .binding = b, .fd = fd};
    pthread_mutex_lock(&w->lock);
    m->next = w->inbox;
    w->inbox = m;
    pthread_mutex_unlock(&w->lock);
    uint64_t one = 1;
    if (write(w->wake.fd, &one, sizeof one) < 0) abort();
}

void workers_start(int count) {
    workers_running = count;
    for (int i = 0; i < count; i++) {
        struct worker *w = &workers[i];
        pthread_mutex_init(&w->lock, NULL);
        w->scratch = malloc(SCRATCH_BYTES);
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (!w->scratch || w->epfd < 0 || wake < 0) abort();
        w->wake = (struct endpoint){.fd = wake, .kind = EP_WAKE};
        set_interest(w, &w->wake, EPOLLIN);
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) abort();
    }
}

int worker_count(void) { return workers_running; }

void worker_add_listener(int index, struct binding *b, int fd) { post(&workers[index], MSG_LISTENER, b, fd); }

void workers_wake(struct binding *b) {
    for (int i = 0; i < workers_running; i++) post(&workers[i], MSG_WAKE, b, -1);
}

void workers_close(struct binding *b) {
    pthread_mutex_lock(&close_lock);
    closes_pending = workers_running;
    pthread_mutex_unlock(&close_lock);
    for (int i = 0; i < workers_running; i++) post(&workers[i], MSG_CLOSE, b, -1);
    pthread_mutex_lock(&close_lock);
    while (closes_pending > 0) pthread_cond_wait(&close_done, &close_lock);
    pthread_mutex_unlock(&close_lock);
}
