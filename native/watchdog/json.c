/*
 * Just enough JSON for the orchestrator's registrations: flat objects of strings and integers,
 * written by JSON.stringify (so no spaces around ':'). Anything else reads as absent, and a
 * message missing what it needs is skipped, as the Node watchdog skips a line it cannot parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog.h"

static const char *value_of(const char *line, const char *key) {
    char quoted[64];
    int length = snprintf(quoted, sizeof quoted, "\"%s\":", key);
    if (length <= 0 || (size_t)length >= sizeof quoted) return NULL;
    const char *at = strstr(line, quoted);
    return at ? at + length : NULL;
}

int json_string(const char *line, const char *key, char *into, size_t size) {
    const char *at = value_of(line, key);
    if (!at || *at != '"') return 0;
    size_t used = 0;
    for (at++; *at && *at != '"'; at++) {
        if (*at == '\\') {
            at++;
            if (*at != '"' && *at != '\\' && *at != '/') return 0;
        }
        if (used + 1 >= size) return 0;
        into[used++] = *at;
    }
    if (*at != '"') return 0;
    into[used] = '\0';
    return 1;
}

int json_number(const char *line, const char *key, long long *into) {
    const char *at = value_of(line, key);
    if (!at || !((*at >= '0' && *at <= '9') || *at == '-')) return 0;
    char *end;
    *into = strtoll(at, &end, 10);
    return end != at && (*end == ',' || *end == '}');
}
