/* The spawner's requests: NUL-terminated fields, parsed only once a record is whole. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spawner.h"

/* up to this many arguments or variables in one request */
#define MAX_LIST 65536

struct cursor {
    const char *buf;
    size_t len;
    size_t at;
};

/* the next field, or NULL when it has not all arrived */
static const char *next_field(struct cursor *c) {
    if (c->at >= c->len) return NULL;
    const char *start = c->buf + c->at;
    const char *end = memchr(start, '\0', c->len - c->at);
    if (!end) return NULL;
    c->at += (size_t)(end - start) + 1;
    return start;
}

/* a decimal field; -1 malformed, 0 incomplete, 1 read */
static int next_number(struct cursor *c, unsigned long *into) {
    const char *field = next_field(c);
    if (!field) return 0;
    if (*field == '\0') return -1;
    char *end;
    errno = 0;
    unsigned long value = strtoul(field, &end, 10);
    if (*end != '\0' || errno) return -1;
    *into = value;
    return 1;
}

/* skips a list of count fields; 0 when not all arrived */
static int skip_list(struct cursor *c, unsigned long count) {
    for (unsigned long i = 0; i < count; i++)
        if (!next_field(c)) return 0;
    return 1;
}

/* points list[0..count) at the fields from *at in block, NULL-terminated */
static char **point_list(char *block, size_t *at, unsigned long count) {
    char **list = calloc(count + 1, sizeof *list);
    if (!list) return NULL;
    for (unsigned long i = 0; i < count; i++) {
        list[i] = block + *at;
        *at += strlen(list[i]) + 1;
    }
    return list;
}

long parse_record(const char *buf, size_t len, struct request **request, unsigned long *dropped) {
    struct cursor c = {buf, len, 0};
    *request = NULL;
    const char *kind = next_field(&c);
    if (!kind) return 0;
    unsigned long id;
    int read = next_number(&c, &id);
    if (read <= 0) return read;
    if (strcmp(kind, "drop") == 0) {
        *dropped = id;
        return (long)c.at;
    }
    if (strcmp(kind, "spawn") != 0) return -1;
    const char *flags = next_field(&c);
    if (!flags) return 0;
    size_t cwd_at = c.at;
    if (!next_field(&c) || !next_field(&c)) return 0;
    unsigned long argc, envc;
    if ((read = next_number(&c, &argc)) <= 0) return read;
    if (argc == 0 || argc > MAX_LIST) return -1;
    size_t argv_at = c.at;
    if (!skip_list(&c, argc)) return 0;
    if ((read = next_number(&c, &envc)) <= 0) return read;
    if (envc > MAX_LIST) return -1;
    size_t env_at = c.at;
    if (!skip_list(&c, envc)) return 0;

    struct request *r = calloc(1, sizeof *r);
    if (!r) return -1;
    r->id = id;
    r->channels = strcmp(flags, "c") == 0;
    r->block = malloc(c.at);
    if (!r->block) {
        free(r);
        return -1;
    }
    memcpy(r->block, buf, c.at);
    r->cwd = r->block + cwd_at;
    r->file = r->cwd + strlen(r->cwd) + 1;
    size_t at = argv_at;
    r->argv = point_list(r->block, &at, argc);
    at = env_at;
    r->envp = point_list(r->block, &at, envc);
    if (!r->argv || !r->envp) {
        request_free(r);
        return -1;
    }
    *request = r;
    return (long)c.at;
}

void request_free(struct request *request) {
    if (!request) return;
    free(request->argv);
    free(request->envp);
    free(request->block);
    free(request);
}

int read_token(int fd, char *token, size_t *have, unsigned long *id, int *stream) {
    while (*have < TOKEN_BYTES) {
        /* the socket itself blocks: it becomes the replica's stdout, and a replica's writes must wait, not fail */
        ssize_t got = recv(fd, token + *have, TOKEN_BYTES - *have, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (got <= 0) return -1;
        *have += (size_t)got;
    }
    if (token[10] != ' ' || (token[11] != '1' && token[11] != '2')) return -1;
    unsigned long value = 0;
    for (int i = 0; i < 10; i++) {
        if (token[i] < '0' || token[i] > '9') return -1;
        value = value * 10 + (unsigned long)(token[i] - '0');
    }
    *id = value;
    *stream = token[11] - '0';
    return 1;
}
