/*
 * A replica's processes, from /proc. In a cgroup: the cgroup's members, plus the leader in the
 * instant before it has moved in. Without one: its process group and session and, by parentage,
 * their descendants that left both (setsid), as process-tree-container.ts finds them. Either way
 * nothing is signalled once the leader's pid belongs to another process (another start time).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog.h"

struct stat_line {
    long pid, ppid, pgrp, session;
    char state;
    long long start_time;
};

/* /proc/PID/stat; 0 when the process is gone */
static int read_stat(long pid, struct stat_line *into) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = '\0';
    /* the command name may hold spaces and parentheses: the fields start after the last ')' */
    char *at = strrchr(text, ')');
    if (!at || at[1] != ' ') return 0;
    at += 2;
    into->pid = pid;
    into->state = *at;
    /* fields 4 (ppid) to 22 (starttime), counted from 1 */
    long long fields[20] = {0};
    char *cursor = at + 1;
    for (int field = 4; field <= 22; field++) {
        fields[field - 4] = strtoll(cursor, &cursor, 10);
    }
    into->ppid = (long)fields[0];
    into->pgrp = (long)fields[1];
    into->session = (long)fields[2];
    into->start_time = fields[18];
    return 1;
}

static int live_state(char state) {
    return state != 'Z' && state != 'X';
}

/* the members' pids into *pids (malloc'd, caller frees); their count */
static size_t cgroup_members(const struct replica *r, long **pids) {
    size_t count = 0, capacity = 16;
    *pids = malloc(capacity * sizeof **pids);
    if (!*pids) return 0;
    char path[PATH_TEXT + 32];
    snprintf(path, sizeof path, "%s/cgroup.procs", r->cgroup);
    FILE *file = fopen(path, "re");
    long pid;
    int leader_in = 0;
    struct stat_line stat;
    if (file) {
        while (fscanf(file, "%ld", &pid) == 1) {
            if (pid == r->pgid) leader_in = 1;
            if (!read_stat(pid, &stat) || !live_state(stat.state)) continue;
            if (count == capacity) {
                long *grown = realloc(*pids, (capacity *= 2) * sizeof **pids);
                if (!grown) break;
                *pids = grown;
            }
            (*pids)[count++] = pid;
        }
        fclose(file);
    }
    if (!leader_in && count < capacity && read_stat(r->pgid, &stat) && live_state(stat.state) && stat.start_time == r->start_time) {
        (*pids)[count++] = r->pgid;
    }
    return count;
}

static size_t tree_members(const struct replica *r, long **pids) {
    *pids = NULL;
    size_t count = 0, capacity = 256;
    struct stat_line *table = malloc(capacity * sizeof *table);
    if (!table) return 0;
    DIR *proc = opendir("/proc");
    if (!proc) {
        free(table);
        return 0;
    }
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        if (*end || pid <= 0) continue;
        if (count == capacity) {
            struct stat_line *grown = realloc(table, (capacity *= 2) * sizeof *table);
            if (!grown) break;
            table = grown;
        }
        if (read_stat(pid, &table[count]) && live_state(table[count].state)) count++;
    }
    closedir(proc);

    char *member = calloc(count ? count : 1, 1);
    size_t found = 0;
    int leader_now = -1;
    for (size_t i = 0; member && i < count; i++) {
        if (table[i].pid == r->pgid) leader_now = (int)i;
        if (table[i].pgrp == r->pgid || table[i].session == r->pgid) {
            member[i] = 1;
            found++;
        }
    }
    /* a reused pid: the leader is another process now, or the members are older than the replica */
    int reused = leader_now >= 0 && table[leader_now].start_time != r->start_time;
    for (size_t i = 0; member && leader_now < 0 && i < count; i++) {
        if (member[i] && table[i].start_time < r->start_time) reused = 1;
    }
    if (!member || found == 0 || reused) {
        free(member);
        free(table);
        return 0;
    }
    for (int grew = 1; grew;) {
        grew = 0;
        for (size_t i = 0; i < count; i++) {
            if (member[i]) continue;
            for (size_t j = 0; j < count; j++) {
                if (member[j] && table[j].pid == table[i].ppid) {
                    member[i] = 1;
                    found++;
                    grew = 1;
                    break;
                }
            }
        }
    }
    *pids = malloc(found * sizeof **pids);
    size_t n = 0;
    for (size_t i = 0; *pids && i < count; i++) {
        if (member[i]) (*pids)[n++] = table[i].pid;
    }
    free(member);
    free(table);
    return *pids ? n : 0;
}

static size_t members(const struct replica *r, long **pids) {
    return r->cgroup[0] ? cgroup_members(r, pids) : tree_members(r, pids);
}

int signal_members(const struct replica *r, int sig) {
    long *pids;
    size_t count = members(r, &pids);
    int any = 0;
    for (size_t i = 0; i < count; i++) {
        if (kill((pid_t)pids[i], sig) == 0) any = 1;
    }
    free(pids);
    return any;
}

int replica_alive(const struct replica *r) {
    long *pids;
    size_t count = members(r, &pids);
    free(pids);
    return count > 0;
}
