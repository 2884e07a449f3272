/*
 * err.h - the one error vocabulary of yingji.
 *
 * Every fallible function returns an enum yj_err and, when it fails, fills the
 * caller's struct yj_error with the offending input field (if any) and a short
 * message. The enum is append-only: a value never changes meaning, because the
 * HTTP layer maps each to a status and a stable string code that clients see.
 */
#ifndef YJ_CORE_ERR_H
#define YJ_CORE_ERR_H

#include <stddef.h>

enum yj_err {
    YJ_OK = 0,
    YJ_ENOMEM,       /* allocation failed */
    YJ_EINVAL,       /* bad input: a field is missing, malformed or out of range */
    YJ_ENOTFOUND,    /* no such object, or not in the caller's scope */
    YJ_ECONFLICT,    /* the write clashes with existing data (duplicate key) */
    YJ_EPERM,        /* the caller's role may never do this */
    YJ_EAUTH,        /* not authenticated, or bad credentials */
    YJ_ETOOBIG,      /* the input is over a size limit */
    YJ_EIO,          /* the disk or the database failed */
    YJ_EPRECOND,     /* If-Match did not match: the object changed meanwhile */
    YJ_ENEEDPRECOND, /* a conditional write came without If-Match */
    YJ_ERATE,        /* too many attempts; try again later */
    YJ_EMETHOD,      /* the route exists but not with this method */
    YJ_EMEDIATYPE,   /* the body is not of a type the route accepts */
    YJ_ECSRF,        /* a cookie-authenticated write without its CSRF token */
    YJ_EINTERNAL,    /* a bug or an unexpected state; details go to the log */
    YJ_EBUSY,        /* the server is shutting down or overloaded */
    YJ_EINCOMPLETE,  /* well-formed, but the object lacks what the action needs (a form item) */
    YJ_ERR__COUNT
};

enum { YJ_ERR_FIELD_MAX = 128, YJ_ERR_MSG_MAX = 256 };

struct yj_error {
    enum yj_err code;
    char field[YJ_ERR_FIELD_MAX]; /* offending input, e.g. "contacts[1].email"; "" if none */
    char msg[YJ_ERR_MSG_MAX];     /* lower case, problem first; never secrets or personal data */
};

/*
 * Fills *err (if non-NULL) and returns code, so that failing is one line:
 *     return yj_error_set(err, YJ_EINVAL, "founded_on", "not a calendar date");
 * field may be NULL. The message is formatted with printf rules and truncated.
 */
enum yj_err yj_error_set(struct yj_error *err, enum yj_err code, const char *field, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));

/* Resets *err to YJ_OK with empty field and message. */
void yj_error_clear(struct yj_error *err);

/* Prefixes err->field with prefix (e.g. "contacts[1]" + "email" -> "contacts[1].email"). */
void yj_error_prefix_field(struct yj_error *err, const char *prefix);

/* The stable lower-case code clients see, e.g. "invalid", "not_found". Never NULL. */
const char *yj_err_name(enum yj_err code);

/* The HTTP status for a code (YJ_OK -> 200). */
int yj_err_http_status(enum yj_err code);

#endif
