/* The orphan watchdog's parts: what is registered, how its members are found, the JSON it reads. */
#ifndef MICRONETES_WATCHDOG_H
#define MICRONETES_WATCHDOG_H

#include <signal.h>

#define PATH_TEXT 1024

struct replica {
    long pgid;
    /* in clock ticks since boot, field 22 of /proc/PID/stat */
    long long start_time;
    /* empty when the replica is held by its process tree */
    char cgroup[PATH_TEXT];
    int phase;
    struct replica *next;
};

struct container {
    char id[80];
    /* unix:/path/docker.sock or tcp:host:port */
    char engine[PATH_TEXT];
    struct container *next;
};

/* sends sig to every live process of the replica; 0 when there was none */
int signal_members(const struct replica *r, int sig);
/* whether any process of the replica is alive (zombies do not count) */
int replica_alive(const struct replica *r);

/* the string value of "key" in a one-line JSON object (\" and \\ unescaped); 0 when absent */
int json_string(const char *line, const char *key, char *into, size_t size);
/* the integer value of "key"; 0 when absent */
int json_number(const char *line, const char *key, long long *into);

#endif
