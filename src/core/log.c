/*
 * log.c - structured logging through jansson, so every value is escaped.
 */
#include "core/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"

static enum yj_log_level log_level = YJ_LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void yj_log_set_level(enum yj_log_level level)
{
    log_level = level;
}

void yj_log_init_from_env(void)
{
    const char *v = getenv("YINGJI_LOG_LEVEL");
    if (!v)
        return;
    for (int i = 0; i < 4; i++)
        if (strcmp(v, level_names[i]) == 0)
            log_level = (enum yj_log_level)i;
}

void yj_log(enum yj_log_level level, const char *event, const char *fmt, ...)
{
    if (level < log_level)
        return;
    json_t *o = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        json_error_t jerr;
        o = json_vpack_ex(&jerr, 0, fmt, ap);
        va_end(ap);
    }
    if (!o || !json_is_object(o)) {
        json_decref(o);
        o = json_object();
        if (!o)
            return;
    }
    char ts[YJ_TIME_STRLEN];
    yj_time_format(yj_now_ms(yj_clock_system()), ts);
    json_t *line = json_pack("{s:s,s:s,s:s}", "ts", ts, "level", level_names[level], "event",
                             event ? event : "");
    if (line) {
        json_object_update(line, o);
        char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        if (s) {
            size_t n = strlen(s);
            char *l = malloc(n + 1);
            if (l) {
                memcpy(l, s, n);
                l[n] = '\n';
                ssize_t w = write(STDERR_FILENO, l, n + 1);
                (void)w;
                free(l);
            }
            free(s);
        }
        json_decref(line);
    }
    json_decref(o);
}

void yj_log_fields(enum yj_log_level level, const char *event, const char *fields)
{
    if (level < log_level)
        return;
    char ts[YJ_TIME_STRLEN], line[1024];
    yj_time_format(yj_now_ms(yj_clock_system()), ts);
    int n = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",\"event\":\"%s\",%s}\n",
                     ts, level_names[level], event, fields);
    if (n > 0 && (size_t)n < sizeof line) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n);
        (void)w;
    }
}
