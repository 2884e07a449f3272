/*
 * log.h - one JSON object per line on stderr.
 *
 * Each line carries "ts", "level" and "event", plus fields given as a jansson
 * json_pack() format and its arguments. Callers must never pass secrets or
 * personal data (passwords, tokens, names, phone numbers, e-mail addresses):
 * log ids, route templates and counts instead.
 */
#ifndef YJ_CORE_LOG_H
#define YJ_CORE_LOG_H

enum yj_log_level { YJ_LOG_DEBUG, YJ_LOG_INFO, YJ_LOG_WARN, YJ_LOG_ERROR };

/* Lines below level are dropped. Default YJ_LOG_INFO; YINGJI_LOG_LEVEL=debug|info|warn|error. */
void yj_log_set_level(enum yj_log_level level);
void yj_log_init_from_env(void);

/*
 * Writes one line atomically (a single write(2)), e.g.
 *     yj_log(YJ_LOG_INFO, "request", "{s:s,s:i}", "route", "/api/v1/units", "status", 200);
 * fmt may be NULL for no extra fields. Thread-safe.
 */
void yj_log(enum yj_log_level level, const char *event, const char *fmt, ...);

/*
 * The same line from pre-formatted fields: fields is the inside of a JSON object
 * ("\"k\":1,\"s\":\"v\"") that the caller guarantees is valid, with every
 * string a trusted constant (route patterns, method names) so nothing needs
 * escaping. For the one line per request, where building a jansson object cost
 * more than the request's own work.
 */
void yj_log_fields(enum yj_log_level level, const char *event, const char *fields);

#endif
