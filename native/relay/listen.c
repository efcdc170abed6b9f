/*
 * Binding a port on both loopback addresses, so `localhost` reaches the proxy whether it resolves
 * to 127.0.0.1 or ::1; a machine without IPv6 keeps the IPv4 sockets. With several workers, each
 * gets a socket of its own on the port (SO_REUSEPORT) and the kernel spreads new connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "relay.h"

static int bind_one(int family, int port, int shared, int *out_port) {
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int on = 1;
    /* SO_REUSEADDR only lets a port in TIME_WAIT be bound again, as Node's listen does */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (shared) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&addr;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *in;
    } else {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        in6->sin6_addr = in6addr_loopback;
        len = sizeof *in6;
    }
    if (bind(fd, (struct sockaddr *)&addr, len) < 0 || listen(fd, 4096) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (out_port) {
        len = sizeof addr;
        getsockname(fd, (struct sockaddr *)&addr, &len);
        *out_port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&addr)->sin_port
                                            : ((struct sockaddr_in6 *)&addr)->sin6_port);
    }
    return fd;
}

static int no_ipv6(int error) {
    return error == EADDRNOTAVAIL || error == EAFNOSUPPORT || error == EPROTONOSUPPORT;
}

static void close_all(int *fds, int n) {
    for (int i = 0; i < n; i++) {
        if (fds[i] >= 0) close(fds[i]);
        fds[i] = -1;
    }
}

/* `count` sockets on each address; returns the port, or -1 */
static int bind_both(int port, int count, int shared, int *fds, const char **failed_host) {
    /* with port 0 the IPv4 pick may be taken on ::1 by someone else: try a few picks */
    int attempts = port == 0 ? 5 : 1;
    for (int attempt = 1;; attempt++) {
        for (int i = 0; i < count * 2; i++) fds[i] = -1;
        int bound = port;
        int ipv6 = 1;
        for (int i = 0; i < count; i++) {
            fds[i] = bind_one(AF_INET, bound, shared, bound == 0 ? &bound : NULL);
            if (fds[i] < 0) {
                int saved = errno;
                close_all(fds, count * 2);
                *failed_host = "127.0.0.1";
                errno = saved;
                return -1;
            }
            if (!ipv6) continue;
            fds[count + i] = bind_one(AF_INET6, bound, shared, NULL);
            if (fds[count + i] >= 0) continue;
            if (i == 0 && no_ipv6(errno)) {
                ipv6 = 0;
                continue;
            }
            int saved = errno;
            close_all(fds, count * 2);
            if (attempt < attempts && saved == EADDRINUSE) goto again;
            *failed_host = "::1";
            errno = saved;
            return -1;
        }
        return bound;
    again:;
    }
}

int listen_loopback(int port, int count, int *fds, const char **failed_host) {
    if (count <= 1) return bind_both(port, 1, 0, fds, failed_host);
    /* sockets that share a port do not see each other as taken, so another program sharing it
     * would split the connections silently: first take the port alone, which fails as usual when
     * anyone holds it, then let go and take it shared */
    int attempts = port == 0 ? 5 : 1;
    for (int attempt = 1;; attempt++) {
        int alone[2];
        int picked = bind_both(port, 1, 0, alone, failed_host);
        if (picked < 0) return -1;
        close_all(alone, 2);
        int bound = bind_both(picked, count, 1, fds, failed_host);
        if (bound >= 0 || attempt >= attempts || port != 0) return bound;
    }
}
