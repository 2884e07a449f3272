/*
 * metrics.c - request counters by route, method and status, and a latency
 * histogram by route, rendered in the Prometheus text format. Route labels are
 * patterns ("/api/v1/units/{id}"), never raw paths, so cardinality stays bounded.
 */
#include <pthread.h>

#include "core/yj.h"
#include "http/http_int.h"

enum { METRIC_SLOTS = 512, METRIC_BUCKETS = 14 };

static const double bucket_le[METRIC_BUCKETS - 1] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

struct counter {
    const char *route, *method;
    int status;
    uint64_t count;
};

struct histogram {
    const char *route;
    uint64_t buckets[METRIC_BUCKETS]; /* last is +Inf */
    double sum;
    uint64_t count;
};

static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static struct counter counters[METRIC_SLOTS];
static size_t n_counters;
static struct histogram histograms[METRIC_SLOTS / 4];
static size_t n_histograms;

/* route and method must be static strings (route patterns, method literals). */
void http_metrics_observe(const char *route, const char *method, int status, double seconds)
{
    pthread_mutex_lock(&metrics_lock);
    size_t i;
    for (i = 0; i < n_counters; i++)
        if (counters[i].route == route && counters[i].method == method &&
            counters[i].status == status)
            break;
    if (i == n_counters && n_counters < METRIC_SLOTS)
        counters[n_counters++] = (struct counter){route, method, status, 0};
    if (i < n_counters)
        counters[i].count++;
    size_t h;
    for (h = 0; h < n_histograms; h++)
        if (histograms[h].route == route)
            break;
    if (h == n_histograms && n_histograms < YJ_ARRAY_LEN(histograms)) {
        memset(&histograms[h], 0, sizeof histograms[h]);
        histograms[h].route = route;
        n_histograms++;
    }
    if (h < n_histograms) {
        size_t b = 0;
        while (b < METRIC_BUCKETS - 1 && seconds > bucket_le[b])
            b++;
        histograms[h].buckets[b]++;
        histograms[h].sum += seconds;
        histograms[h].count++;
    }
    pthread_mutex_unlock(&metrics_lock);
}

char *http_metrics_render(void)
{
    struct yj_buf b;
    yj_buf_init(&b, 4 * 1024 * 1024);
    pthread_mutex_lock(&metrics_lock);
    yj_buf_puts(&b, "# HELP yingji_http_requests_total HTTP requests by route, method and "
                    "status.\n# TYPE yingji_http_requests_total counter\n");
    for (size_t i = 0; i < n_counters; i++)
        yj_buf_printf(&b,
                      "yingji_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} "
                      "%llu\n",
                      counters[i].route, counters[i].method, counters[i].status,
                      (unsigned long long)counters[i].count);
    yj_buf_puts(&b, "# HELP yingji_http_request_duration_seconds Time to answer, by route.\n"
                    "# TYPE yingji_http_request_duration_seconds histogram\n");
    for (size_t h = 0; h < n_histograms; h++) {
        const struct histogram *hg = &histograms[h];
        uint64_t cum = 0;
        for (size_t k = 0; k < METRIC_BUCKETS; k++) {
            cum += hg->buckets[k];
            if (k < METRIC_BUCKETS - 1)
                yj_buf_printf(&b,
                              "yingji_http_request_duration_seconds_bucket{route=\"%s\","
                              "le=\"%g\"} %llu\n",
                              hg->route, bucket_le[k], (unsigned long long)cum);
            else
                yj_buf_printf(&b,
                              "yingji_http_request_duration_seconds_bucket{route=\"%s\","
                              "le=\"+Inf\"} %llu\n",
                              hg->route, (unsigned long long)cum);
        }
        yj_buf_printf(&b, "yingji_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                      hg->route, hg->sum);
        yj_buf_printf(&b, "yingji_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                      hg->route, (unsigned long long)hg->count);
    }
    pthread_mutex_unlock(&metrics_lock);
    return yj_buf_detach(&b, NULL);
}
