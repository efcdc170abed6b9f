/* The replica spawner's parts: the requests it reads, the channels it accepts, the children it keeps. */
#ifndef MICRONETES_SPAWNER_H
#define MICRONETES_SPAWNER_H

#include <stddef.h>
#include <sys/types.h>

/* a channel's token: the request's id in ten digits, a space, the fd it becomes (1 or 2) */
#define TOKEN_BYTES 12

struct request {
    unsigned long id;
    /* stdout and stderr on the two channels of this id, else on /dev/null */
    int channels;
    char *cwd;
    char *file;
    char **argv;
    char **envp;
    /* every string above points into this block */
    char *block;
    struct request *next;
};

/*
 * One record from the start of buf: "spawn" id flags cwd file argc argv... envc env... or
 * "drop" id, every field NUL-terminated. Returns the bytes it used (>0), 0 when the record is
 * not complete yet, -1 when it is malformed. *request is set for spawn (the caller frees it
 * with request_free), *dropped for drop.
 */
long parse_record(const char *buf, size_t len, struct request **request, unsigned long *dropped);
void request_free(struct request *request);

/* reads a token from a just-accepted connection; 1 when whole (*id, *fd set), 0 when more is due, -1 on error */
int read_token(int fd, char *token, size_t *have, unsigned long *id, int *stream);

#endif
