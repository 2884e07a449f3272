/*
 * err.c - error codes, their names and their HTTP statuses.
 */
#include "core/err.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int status;
} err_table[YJ_ERR__COUNT] = {
    [YJ_OK] = {"ok", 200},
    [YJ_ENOMEM] = {"out_of_memory", 503},
    [YJ_EINVAL] = {"invalid", 400},
    [YJ_ENOTFOUND] = {"not_found", 404},
    [YJ_ECONFLICT] = {"conflict", 409},
    [YJ_EPERM] = {"forbidden", 403},
    [YJ_EAUTH] = {"unauthenticated", 401},
    [YJ_ETOOBIG] = {"too_large", 413},
    [YJ_EIO] = {"io_error", 500},
    [YJ_EPRECOND] = {"precondition_failed", 412},
    [YJ_ENEEDPRECOND] = {"precondition_required", 428},
    [YJ_ERATE] = {"too_many_requests", 429},
    [YJ_EMETHOD] = {"method_not_allowed", 405},
    [YJ_EMEDIATYPE] = {"unsupported_media_type", 415},
    [YJ_ECSRF] = {"csrf", 403},
    [YJ_EINTERNAL] = {"internal", 500},
    [YJ_EBUSY] = {"unavailable", 503},
    [YJ_EINCOMPLETE] = {"incomplete", 422},
};

enum yj_err yj_error_set(struct yj_error *err, enum yj_err code, const char *field, const char *fmt,
                         ...)
{
    if (!err)
        return code;
    err->code = code;
    int n = snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    if (n >= (int)sizeof err->field)
        yj_utf8_cut(err->field, sizeof err->field - 1);
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->msg)
        yj_utf8_cut(err->msg, sizeof err->msg - 1);
    return code;
}

void yj_error_clear(struct yj_error *err)
{
    if (!err)
        return;
    err->code = YJ_OK;
    err->field[0] = '\0';
    err->msg[0] = '\0';
}

void yj_error_prefix_field(struct yj_error *err, const char *prefix)
{
    if (!err || !prefix || !*prefix)
        return;
    char tmp[2 * YJ_ERR_FIELD_MAX + 2];
    if (err->field[0] == '\0')
        snprintf(tmp, sizeof tmp, "%s", prefix);
    else if (err->field[0] == '[')
        snprintf(tmp, sizeof tmp, "%s%s", prefix, err->field);
    else
        snprintf(tmp, sizeof tmp, "%s.%s", prefix, err->field);
    /* Over-long paths are cut: the field name is a hint, not a key. */
    memcpy(err->field, tmp, sizeof err->field - 1);
    err->field[sizeof err->field - 1] = '\0';
    if (strlen(tmp) >= sizeof err->field)
        yj_utf8_cut(err->field, sizeof err->field - 1);
}

const char *yj_err_name(enum yj_err code)
{
    if ((unsigned)code >= YJ_ERR__COUNT || !err_table[code].name)
        return "internal";
    return err_table[code].name;
}

int yj_err_http_status(enum yj_err code)
{
    if ((unsigned)code >= YJ_ERR__COUNT || !err_table[code].status)
        return 500;
    return err_table[code].status;
}
