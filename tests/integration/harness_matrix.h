/*
 * harness_matrix.h - the route x role matrix's machinery, shared by its parts
 * (test_matrix.c: the registry; test_matrix_selection.c: campaigns and
 * applications; test_matrix_review.c: the review and the exports;
 * test_matrix_certs.c: certificates and attachments; test_matrix_notify.c:
 * webhooks, the outbox and in-app notifications; test_matrix_incidents.c:
 * incidents, dispatches and the incident reference tables; test_matrix_reports.c:
 * evidence and upward reports; test_matrix_work.c: work logs, obligations and
 * drills; test_matrix_threats.c: threat reports, early warnings and bulletins).
 *
 * A row names a route (method and pattern, exactly as in api_routes), a variant
 * (which object, when ownership or assignment matters) and the status each of
 * seven callers must get: anonymous, authority, security_reviewer, expert, a
 * unit user on its own unit's objects, a unit user reaching for another unit's
 * objects, auditor. Expectations come from the policy table (src/auth/policy.c):
 * 401 without a login, 403 for a role that may never act, 404 for an object
 * outside the caller's scope. A row's prepare function builds what one cell
 * sends (fresh objects, current ETags, valid bodies), so a status reflects
 * authorisation and nothing else.
 *
 * Every route belongs to exactly one part (hx_matrix_part_of, by its pattern;
 * anything not claimed by a later part is the registry's), and each part checks
 * that every route it owns has a row and every row is a route it owns: together
 * they cover every route in api_routes.
 */
#ifndef YJ_TESTS_HARNESS_MATRIX_H
#define YJ_TESTS_HARNESS_MATRIX_H

#include "harness.h"

enum hx_role {
    HX_ANON,
    HX_AUTHORITY,
    HX_REVIEWER,
    HX_EXPERT,
    HX_UNIT,
    HX_UNIT_OTHER, /* a unit user reaching for another unit's objects */
    HX_AUDITOR,
    HX_ROLES
};

/* "anonymous", "authority", "security_reviewer", "expert", "unit", "unit->other", "auditor". */
extern const char *const hx_role_names[HX_ROLES];

/* What one cell sends. The runner sets path to the row's pattern before prepare. */
struct hx_call {
    char path[512];
    json_t *body;             /* a JSON body (consumed by the send); NULL for none */
    const void *raw;          /* or a raw body of raw_len bytes (borrowed) ... */
    size_t raw_len;           /* ... */
    const char *content_type; /* ... sent with this Content-Type */
    char if_match[64];        /* "" for none */
    bool clone;               /* send from a copy of the caller's client (a login would
                                 replace its session) */
    struct hx_client *as;     /* send as this client instead of the role's (e.g. a second,
                                 unassigned expert); NULL: the role's */
};

typedef void (*hx_prepare_fn)(enum hx_role r, struct hx_call *c);

struct hx_row {
    const char *method, *pattern; /* exactly as in api_routes */
    const char *variant;          /* which object, for the report ("" for the only row) */
    hx_prepare_fn prepare;        /* may be NULL: the pattern is the path, nothing else sent */
    long expect[HX_ROLES];        /* in enum hx_role order */
};

enum hx_matrix_part {
    HX_PART_REGISTRY,     /* test_matrix.c */
    HX_PART_SELECTION,    /* test_matrix_selection.c */
    HX_PART_REVIEW,       /* test_matrix_review.c */
    HX_PART_CERTS,        /* test_matrix_certs.c */
    HX_PART_NOTIFY,       /* test_matrix_notify.c */
    HX_PART_INCIDENTS,    /* test_matrix_incidents.c */
    HX_PART_REPORTS,      /* test_matrix_reports.c */
    HX_PART_WORK,         /* test_matrix_work.c */
    HX_PART_THREATS,      /* test_matrix_threats.c */
    HX_PART_INDICATORS,   /* test_matrix_indicators.c */
    HX_PART_CONSTITUENCY, /* test_matrix_constituency.c */
    HX_PART_FEEDS,        /* test_matrix_feeds.c */
    HX_PART_DISPOSAL,     /* test_matrix_disposal.c */
    HX_PARTS
};

/*
 * The columns' clients: anonymous, admin itself as the authority, and a new user
 * of every other role; both unit columns are users of unit_id (unit->other reaches
 * for another unit's objects). who[HX_AUTHORITY] is admin, which the array owns
 * from here on: hx_matrix_clients_free frees every column's client, admin included.
 */
void hx_matrix_clients(struct hx_server *srv, struct hx_client *admin, int64_t unit_id,
                       struct hx_client *who[HX_ROLES]);
void hx_matrix_clients_free(struct hx_client *who[HX_ROLES]);

/* c->path = prefix/id then suffix: "/api/v1/panels", 3, "/close". */
void hx_call_path(struct hx_call *c, const char *prefix, int64_t id, const char *suffix);

/* The unit->other column: the caller reaches for another unit's object. */
static inline bool hx_role_other(enum hx_role r)
{
    return r == HX_UNIT_OTHER;
}

/* The part that owns the route with this pattern. */
enum hx_matrix_part hx_matrix_part_of(const char *pattern);

/* The test file of a part, relative to the source root ("tests/integration/test_matrix.c"). */
const char *hx_matrix_part_file(enum hx_matrix_part part);

/*
 * Fails the test unless the test file of every part that owns a route exists under
 * $YINGJI_SRC: with each part checking its own rows (hx_matrix_check_rows), every route
 * of api_routes then has a row somewhere. Prints how many routes each part owns.
 */
void hx_matrix_check_parts(void);

/*
 * Fails the test, listing them, unless every route of api_routes that part owns has a row
 * in rows[n] and every row is a route that part owns.
 */
void hx_matrix_check_rows(enum hx_matrix_part part, const struct hx_row *rows, size_t n);

/*
 * Runs every cell: prepare, check that the path reaches the row's route, send as who[role]
 * (or as call.as), and compare the status; a 401, 403 or 404 must also carry the error
 * code unauthenticated, forbidden or not_found. Fails the test at the end with a report of
 * every wrong cell (method, path, variant, role, expected, got, body).
 */
void hx_matrix_run(struct hx_client *const who[HX_ROLES], const struct hx_row *rows, size_t n);

#endif
