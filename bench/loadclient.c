/* The compiled load client of bench/fanout.py: thousands of WebSocket viewers on one core.
 *
 *   loadclient --port P --path /ws/walls/bench --viewers N [--kind hub|naive] [--posts M]
 *              [--stuck K] [--stuck-mss 1460] [--parallel 500]
 *
 * bench/fanout.py builds it with gcc into a temporary folder (never committed) and drives it
 * through stdin/stdout, one JSON object a line:
 *   -> {"event":"ready",...}         every viewer has its first frame (snapshot)
 *   <- start                         count posts from now on
 *   <- stop [T]                      print {"event":"report",...}; T: when a hide was asked
 *   <- storm                         drop every viewer at once (RST) and dial them all again
 *   -> {"event":"storm",...}         with ?epoch=&since=; printed once all are live again
 *   -> {"event":"complete",...}      every viewer has every post
 *   <- quit
 * A Python client saturates its core at a few thousand viewers x 20 frames/s; this one parses
 * only what it needs (bench_i and sent_at of each post, remove events, epoch and seq) and
 * reports its own CPU time so a saturated client shows.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { IDLE, CONNECTING, HANDSHAKE, OPEN, CLOSED };
#define BUCKETS 1200000 /* latency histogram: 0.1 ms buckets up to 120 s */

typedef struct {
    int fd, state, tries, resumed;
    char *buf;
    uint32_t len, cap, got, frames;
    uint8_t *seen; /* bitmap of bench_i received while measuring */
    double first_at, remove_at, last_at;
    int close_code;
    long long seq;
    char epoch[40];
} conn_t;

static conn_t *conns;
static int ncomplete, nidle, nviewers, port, parallel = 500, inflight, measuring, storming, naive, epfd;
static long long posts = 600;
static const char *path = "/ws/walls/bench";
static uint32_t hist[BUCKETS];
static double window_start, storm_start;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void send_all(int fd, const void *data, size_t n) { /* tiny control frames only */
    (void)!send(fd, data, n, MSG_NOSIGNAL);
}

static int dial(conn_t *c) { /* start a non-blocking connect; 0 on success */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
        close(c->fd);
        return -1;
    }
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
    c->state = CONNECTING;
    nidle--;
    c->len = 0;
    c->first_at = 0;
    inflight++;
    return 0;
}

static void fail(conn_t *c) { /* a dial or handshake failed: try again later, 3 times */
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (c->state == CONNECTING || c->state == HANDSHAKE) inflight--;
    c->state = ++c->tries < 3 ? IDLE : CLOSED;
    nidle += c->state == IDLE;
}

static void record(conn_t *c, long long i, double sent_at, double at) {
    if (!measuring || i < 1 || i > posts) return;
    if (c->seen[i >> 3] & (1 << (i & 7))) return; /* counted once, however it came */
    c->seen[i >> 3] |= 1 << (i & 7);
    if (++c->got == posts && ++ncomplete == nviewers) { /* the driver may stop waiting */
        printf("{\"event\":\"complete\",\"after_s\":%.2f}\n", at - window_start);
        fflush(stdout);
    }
    c->last_at = at;
    long b = (long)((at - sent_at) * 10000);
    hist[b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b]++;
}

static void on_message(conn_t *c, char *p, size_t n, double at) {
    char *end = p + n, *q;
    if (!c->first_at) {
        c->first_at = at;
        c->resumed = n > 16 && !memcmp(p, "{\"type\":\"events\"", 16) ? 1 : 2;
    }
    if (naive) { /* each message is one post */
        char *s;
        if ((q = memmem(p, n, "\"bench_i\":", 10)) && (s = memmem(q, end - q, "\"sent_at\":", 10)))
            record(c, strtoll(q + 10, NULL, 10), strtod(s + 10, NULL), at);
        return;
    }
    if (n > 18 && !memcmp(p, "{\"type\":\"snapshot\"", 18)) {
        if ((q = memmem(p, n, "\"epoch\":\"", 9))) {
            size_t k = 0;
            for (q += 9; q < end && *q != '"' && k < sizeof c->epoch - 1; q++) c->epoch[k++] = *q;
            c->epoch[k] = 0;
        }
        if ((q = memmem(p, n, "\"seq\":", 6))) c->seq = strtoll(q + 6, NULL, 10);
        return;
    }
    if (n < 16 || memcmp(p, "{\"type\":\"events\"", 16)) return; /* heartbeats */
    for (q = p; (q = memmem(q, end - q, "{\"seq\":", 7)); q += 7) {
        char *comma = memchr(q, ',', end - q);
        c->seq = strtoll(q + 7, NULL, 10); /* events come seq ascending: the last one wins */
        if (comma && end - comma > 16 && !memcmp(comma + 1, "\"type\":\"remove\"", 15) &&
            measuring && !c->remove_at)
            c->remove_at = at;
    }
    for (q = p; (q = memmem(q, end - q, "\"bench_i\":", 10)); q += 10) {
        char *s = memmem(q, end - q, "\"sent_at\":", 10);
        if (s) record(c, strtoll(q + 10, NULL, 10), strtod(s + 10, NULL), at);
    }
}

static void on_frames(conn_t *c, double at) { /* parse every complete frame in the buffer */
    uint32_t off = 0;
    unsigned char *b = (unsigned char *)c->buf;
    while (c->len - off >= 2) {
        int op = b[off] & 0x0f;
        uint64_t n = b[off + 1] & 0x7f, hdr = 2;
        if (n == 126) {
            if (c->len - off < 4) break;
            n = (b[off + 2] << 8) | b[off + 3], hdr = 4;
        } else if (n == 127) {
            if (c->len - off < 10) break;
            n = 0, hdr = 10;
            for (int i = 0; i < 8; i++) n = (n << 8) | b[off + 2 + i];
        }
        if (c->len - off < hdr + n) break;
        char *payload = c->buf + off + hdr;
        if (op == 1) {
            c->frames++;
            on_message(c, payload, n, at);
        } else if (op == 9 && n <= 125) { /* ping: answer with a (zero-)masked pong */
            unsigned char pong[131] = {0x8a, (unsigned char)(0x80 | n), 0, 0, 0, 0};
            memcpy(pong + 6, payload, n);
            send_all(c->fd, pong, 6 + n);
        } else if (op == 8) {
            c->close_code = n >= 2 ? (b[off + hdr] << 8) | b[off + hdr + 1] : 1005;
            unsigned char bye[8] = {0x88, 0x82, 0, 0, 0, 0, b[off + hdr], b[off + hdr + 1]};
            send_all(c->fd, bye, n >= 2 ? 8 : 6);
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = CLOSED;
            return;
        }
        off += hdr + n;
    }
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
}

static void on_readable(conn_t *c) {
    for (int rounds = 0; rounds < 8 && c->state >= HANDSHAKE && c->state < CLOSED; rounds++) {
        if (c->cap - c->len < 65536) {
            c->cap = c->cap ? c->cap * 2 : 131072;
            c->buf = realloc(c->buf, c->cap);
        }
        ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (r <= 0) {
            if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
            if (c->state == HANDSHAKE) return fail(c);
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = CLOSED;
            if (!c->close_code) c->close_code = 1006;
            return;
        }
        c->len += r;
        double at = now();
        if (c->state == HANDSHAKE) {
            char *eoh = memmem(c->buf, c->len, "\r\n\r\n", 4);
            if (!eoh) continue;
            if (memcmp(c->buf, "HTTP/1.1 101", 12)) return fail(c);
            uint32_t hl = eoh + 4 - c->buf;
            memmove(c->buf, eoh + 4, c->len - hl);
            c->len -= hl;
            c->state = OPEN;
            inflight--;
        }
        on_frames(c, at);
        if ((size_t)r < 65536) return;
    }
}

static void on_writable(conn_t *c) { /* the connect finished: send the upgrade request */
    int err = 0;
    socklen_t l = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    if (err) return fail(c);
    char req[512];
    int n = c->epoch[0]
        ? snprintf(req, sizeof req, "GET %s%cepoch=%s&since=%lld", path,
                   strchr(path, '?') ? '&' : '?', c->epoch, c->seq)
        : snprintf(req, sizeof req, "GET %s", path);
    n += snprintf(req + n, sizeof req - n,
                  " HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: "
                  "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n", port);
    send_all(c->fd, req, n);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    c->state = HANDSHAKE;
}

static void stuck_client(int mss) { /* handshake, then never read (a tiny receive buffer) */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0), small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (mss > 0) setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return perror("stuck connect");
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket"
                     "\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n", path, port);
    send_all(fd, req, n);
}

static double pct(const uint32_t *h, uint64_t total, double q) { /* ms */
    uint64_t want = (uint64_t)(q * (total - 1)) + 1, seen = 0;
    for (long i = 0; i < BUCKETS; i++)
        if ((seen += h[i]) >= want) return i / 10.0;
    return -1;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(double hide_at) {
    uint64_t total = 0, delivered = 0;
    int open = 0, complete = 0, dropped = 0, removed = 0;
    double last = 0, *rm = malloc(sizeof(double) * (nviewers + 1));
    for (long i = 0; i < BUCKETS; i++) total += hist[i];
    for (int i = 0; i < nviewers; i++) {
        conn_t *c = &conns[i];
        delivered += c->got;
        open += c->state == OPEN;
        complete += c->got >= posts;
        dropped += c->close_code == 1013;
        if (c->last_at > last) last = c->last_at;
        if (c->remove_at && hide_at > 0) rm[removed++] = c->remove_at - hide_at;
    }
    qsort(rm, removed, sizeof(double), cmp_double);
    printf("{\"event\":\"report\",\"viewers\":%d,\"open\":%d,\"dropped_1013\":%d,"
           "\"delivered\":%llu,\"expected\":%llu,\"complete\":%d,\"p50_ms\":%.1f,"
           "\"p99_ms\":%.1f,\"max_ms\":%.1f,\"last_post_after_s\":%.2f,\"removed\":%d,"
           "\"remove_p50_ms\":%.1f,\"remove_p99_ms\":%.1f,\"remove_max_ms\":%.1f,"
           "\"client_cpu_s\":%.2f,\"window_s\":%.2f}\n",
           nviewers, open, dropped, (unsigned long long)delivered,
           (unsigned long long)posts * nviewers, complete, total ? pct(hist, total, 0.5) : -1,
           total ? pct(hist, total, 0.99) : -1, total ? pct(hist, total, 1.0) : -1,
           last ? last - window_start : -1, removed,
           removed ? 1000 * rm[(removed - 1) / 2] : -1,
           removed ? 1000 * rm[(int)(0.99 * (removed - 1))] : -1,
           removed ? 1000 * rm[removed - 1] : -1, cpu_s(), now() - window_start);
    fflush(stdout);
    free(rm);
}

static int command(void) { /* one line from the driver; returns 0 to quit */
    char line[128];
    if (!fgets(line, sizeof line, stdin)) return 0;
    if (!strncmp(line, "start", 5)) {
        memset(hist, 0, sizeof hist);
        ncomplete = 0;
        for (int i = 0; i < nviewers; i++) {
            conn_t *c = &conns[i];
            c->got = 0, c->remove_at = 0, c->last_at = 0;
            memset(c->seen, 0, posts / 8 + 1);
        }
        window_start = now();
        measuring = 1;
    } else if (!strncmp(line, "stop", 4)) {
        measuring = 0;
        report(atof(line + 4));
    } else if (!strncmp(line, "storm", 5)) {
        struct linger hard = {1, 0}; /* RST: as when the network drops, no closing handshake */
        storm_start = now();
        for (int i = 0; i < nviewers; i++) {
            conn_t *c = &conns[i];
            if (c->state != OPEN) continue;
            setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = IDLE, c->tries = 0, c->first_at = 0;
            nidle++;
        }
        storming = 1;
    } else if (!strncmp(line, "quit", 4)) {
        return 0;
    }
    return 1;
}

static void storm_done(double at) {
    int live = 0, resumed = 0, failed = 0;
    for (int i = 0; i < nviewers; i++) {
        live += conns[i].state == OPEN && conns[i].first_at;
        resumed += conns[i].state == OPEN && conns[i].resumed == 1;
        failed += conns[i].state == CLOSED;
    }
    if (live + failed < nviewers) return;
    printf("{\"event\":\"storm\",\"live\":%d,\"failed\":%d,\"resumed\":%d,\"snapshots\":%d,"
           "\"all_live_s\":%.3f,\"client_cpu_s\":%.2f}\n", live, failed, resumed, live - resumed,
           at - storm_start, cpu_s());
    fflush(stdout);
    storming = 0;
}

int main(int argc, char **argv) {
    int stuck = 0, mss = 1460, ready = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--path")) path = argv[i + 1];
        else if (!strcmp(argv[i], "--viewers")) nviewers = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--posts")) posts = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--kind")) naive = !strcmp(argv[i + 1], "naive");
        else if (!strcmp(argv[i], "--stuck")) stuck = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--stuck-mss")) mss = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--parallel")) parallel = atoi(argv[i + 1]);
    }
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max; /* every viewer is a file descriptor */
    setrlimit(RLIMIT_NOFILE, &rl);
    conns = calloc(nviewers, sizeof(conn_t)); /* all IDLE: to be dialled */
    nidle = nviewers;
    for (int i = 0; i < nviewers; i++) conns[i].seen = calloc(posts / 8 + 1, 1);
    epfd = epoll_create1(0);
    struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &in);
    for (int i = 0; i < stuck; i++) stuck_client(mss);
    if (stuck) usleep(200000); /* the stuck clients are the first subscribers */
    double t0 = now(), checked = 0;
    struct epoll_event evs[512];
    int next = 0; /* where the search for an idle viewer to dial resumes */
    for (;;) {
        for (int seen = 0; nidle > 0 && seen < nviewers && inflight < parallel; seen++, next++) {
            conn_t *c = &conns[next %= nviewers];
            if (c->state == IDLE && dial(c) < 0) c->state = CLOSED, nidle--;
        }
        int n = epoll_wait(epfd, evs, 512, 20);
        for (int k = 0; k < n; k++) {
            conn_t *c = evs[k].data.ptr;
            if (!c) {
                if (!command()) return 0;
            } else if (c->state == CONNECTING) {
                on_writable(c);
            } else if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                on_readable(c);
            }
        }
        double t = now();
        if (t - checked < 0.02) continue; /* the scans below cost O(viewers): 50 a second */
        checked = t;
        if (!ready) {
            int live = 0, failed = 0;
            for (int i = 0; i < nviewers; i++) {
                live += conns[i].state == OPEN && (naive || conns[i].first_at);
                failed += conns[i].state == CLOSED;
            }
            if (live + failed == nviewers) {
                printf("{\"event\":\"ready\",\"viewers\":%d,\"failed\":%d,\"connect_s\":%.2f,"
                       "\"client_cpu_s\":%.2f}\n", live, failed, now() - t0, cpu_s());
                fflush(stdout);
                ready = 1;
            }
        }
        if (storming) storm_done(t);
    }
}
