/*
 * micronetes-launch: puts itself into a cgroup, then becomes the replica.
 *
 *   micronetes-launch CGROUP_PROCS_FILE PROGRAM ARGV0 [ARG...]
 *
 * Moving a replica into its cgroup after it is spawned races with its first fork; moving the
 * launcher first, then exec'ing, means every process the replica ever starts is born inside.
 * PROGRAM is a path (the orchestrator has already searched PATH); ARGV0 is the name the replica
 * sees as its own. The environment passes through untouched (a shell would drop names such as
 * SERVICE__API-BACKEND__PORT, which are not shell identifiers).
 *
 * Exit 125: the cgroup could not be joined (nothing runs uncontained); 126/127: the program
 * could not be run, as a shell says it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: micronetes-launch CGROUP_PROCS_FILE PROGRAM ARGV0 [ARG...]\n");
        return 125;
    }
    int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "micronetes-launch: cannot open %s: %s\n", argv[1], strerror(errno));
        return 125;
    }
    /* "0" names the writer itself, in cgroup v1 and v2 alike */
    if (write(fd, "0\n", 2) != 2) {
        fprintf(stderr, "micronetes-launch: cannot join the cgroup of %s: %s\n", argv[1], strerror(errno));
        close(fd);
        return 125;
    }
    close(fd);
    execv(argv[2], argv + 3);
    int failure = errno;
    fprintf(stderr, "micronetes-launch: cannot run %s: %s\n", argv[2], strerror(failure));
    return failure == ENOENT ? 127 : 126;
}
