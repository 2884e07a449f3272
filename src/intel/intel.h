/*
 * intel.h - indicators of compromise: their types and canonical forms, the
 * threat categories of the MIIT 2017 measures (STANDARDS.md §4), TLP markings,
 * and the neutral record every importer produces and every exporter consumes
 * (STIX 2.1, MISP, CSV, plain lists: intel_stix.h, intel_misp.h, intel_csv.h),
 * so that an export re-imported yields the same indicators.
 *
 * Pure rules: no SQL, HTTP or JSON here. Strings a function returns live in the
 * caller's arena unless said otherwise.
 */
#ifndef YJ_INTEL_INTEL_H
#define YJ_INTEL_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

enum {
    INTEL_VALUE_MAX = 2048, /* bytes of a canonical value (URLs are the longest) */
    INTEL_TAGS_MAX = 32,
    INTEL_TAG_MAX = 100,
};

enum intel_type {
    INTEL_IPV4,   /* "ipv4": 203.0.113.7 */
    INTEL_IPV6,   /* "ipv6": 2001:db8::7, RFC 5952 form */
    INTEL_CIDR4,  /* "cidr4": 203.0.113.0/24, host bits zero */
    INTEL_CIDR6,  /* "cidr6": 2001:db8::/32 */
    INTEL_DOMAIN, /* "domain": lower case, IDNA A-labels, no trailing dot */
    INTEL_URL,    /* "url": scheme and host lower case, default port dropped, no fragment */
    INTEL_EMAIL,  /* "email": local part kept, domain lower case */
    INTEL_MD5,    /* "md5", "sha1", "sha256", "sm3": lower-case hex */
    INTEL_SHA1,
    INTEL_SHA256,
    INTEL_SM3,
    INTEL_CC,  /* "cc": a C&C endpoint, "host:port/protocol" (host an IP, [IPv6] or domain;
                * protocol a lower-case token: tcp, udp, http, https, dns...; "/protocol" may be
                * absent when unknown) */
    INTEL_APP, /* "app": a mobile app, "package" or "package|signing-cert-sha256" */
    INTEL_TYPE__COUNT
};
const char *intel_type_code(enum intel_type t);
const char *intel_type_name_zh(enum intel_type t);
/* YJ_EINVAL naming field for an unknown code. */
enum yj_err intel_type_parse(const char *code, const char *field, enum intel_type *t,
                             struct yj_error *err);

/* Threat categories (MIIT 2017 measures). */
enum intel_category {
    INTEL_CAT_MALICIOUS_IP,      /* 恶意IP */
    INTEL_CAT_MALICIOUS_DOMAIN,  /* 恶意域名 */
    INTEL_CAT_MALICIOUS_URL,     /* 恶意URL */
    INTEL_CAT_MALICIOUS_MESSAGE, /* 恶意电子信息 (phishing mail/SMS/IM) */
    INTEL_CAT_MALWARE,           /* 恶意程序 (incl. mobile malware) */
    INTEL_CAT_BOTNET,            /* 僵尸网络、木马、蠕虫 */
    INTEL_CAT_PHISHING,          /* 钓鱼网站 */
    INTEL_CAT_HAZARD,            /* 安全隐患 (vulnerabilities, weak passwords, backdoors) */
    INTEL_CAT_EVENT,             /* 安全事件 (compromised hosts, leaks, defacement) */
    INTEL_CAT_OTHER,
    INTEL_CAT__COUNT
};
const char *intel_category_code(enum intel_category c); /* "malicious_ip", ... */
const char *intel_category_name_zh(enum intel_category c);
enum yj_err intel_category_parse(const char *code, const char *field, enum intel_category *c,
                                 struct yj_error *err);

/* Traffic Light Protocol 2.0. */
enum intel_tlp {
    INTEL_TLP_CLEAR,
    INTEL_TLP_GREEN,
    INTEL_TLP_AMBER,
    INTEL_TLP_AMBER_STRICT,
    INTEL_TLP_RED,
    INTEL_TLP__COUNT
};
const char *intel_tlp_code(enum intel_tlp t); /* "clear", "green", "amber", "amber+strict", "red" */
/* Also takes "white" (TLP 1.0) as clear; any case, and a "tlp:" prefix as MISP tags carry. */
enum yj_err intel_tlp_parse(const char *code, const char *field, enum intel_tlp *t,
                            struct yj_error *err);

/*
 * The canonical form of raw as type t into *out (arena text): the form values
 * are stored, compared and exported in. YJ_EINVAL naming field when raw is not
 * a value of that type (a bad address, a CIDR with host bits set is accepted and
 * its host bits cleared, a hash of the wrong length, a URL without a host...).
 * Surrounding white space is ignored. Domains: labels of letters, digits, '-' (not
 * at either end) and '_' (real hostnames carry it), at least two labels, a top label
 * not all digits. URLs also (RFC 3986 §6.2): "%XX" of unreserved characters decoded,
 * other escapes in upper-case hex, spaces, quotes, angle brackets and non-ASCII bytes
 * percent-encoded, http(s)' empty path written "/". YJ_ENOMEM when a is exhausted.
 */
enum yj_err intel_canonical(enum intel_type t, const char *raw, const char *field,
                            struct yj_arena *a, const char **out, struct yj_error *err);

/*
 * What a bare value from a one-per-line list is: an IP, a CIDR, a URL (has a
 * scheme), an e-mail address, a hash (by its hex length: 32 md5, 40 sha1, 64
 * sha256 — sm3 is never guessed, it has sha256's length), else a domain. Fills
 * *t and the canonical value; YJ_EINVAL naming field when it is none of them.
 */
enum yj_err intel_guess(const char *raw, const char *field, struct yj_arena *a, enum intel_type *t,
                        const char **out, struct yj_error *err);

/* One indicator as exchanged (an importer's output, an exporter's input). */
struct intel_indicator {
    enum intel_type type;
    const char *value; /* canonical */
    bool subdomains;   /* domain: its subdomains match too */
    enum intel_category category;
    const char *source; /* feed name, "report:<id>", "user:<name>"; NULL: the importer's */
    int confidence;     /* 0..100 */
    enum intel_tlp tlp;
    const char *tags[INTEL_TAGS_MAX];
    size_t n_tags;
    int64_t first_seen, last_seen, valid_until; /* UTC ms; 0: not given */
    int64_t sightings;                          /* >= 1 */
    const char *description;                    /* may be NULL */
    const char *external_id; /* the object's id in its format (STIX id, MISP uuid); may be NULL */
};

/* A part of an input that was not imported, and why: unsupported pattern parts are
 * reported per object, never silently dropped. */
struct intel_problem {
    const char *where;  /* "objects[12]", "line 40", "Event.Attribute[3]" */
    const char *object; /* the object's id when it has one; may be NULL */
    const char *reason;
};

/* What an importer read: everything in the caller's arena. */
struct intel_batch {
    struct intel_indicator *items;
    size_t n, cap;
    struct intel_problem *problems;
    size_t n_problems, cap_problems;
    size_t objects; /* objects (or lines, attributes) read in all */
};
void intel_batch_init(struct intel_batch *b);
/* Appends a copy of *ind (strings are not copied: they must already live in a). */
enum yj_err intel_batch_add(struct intel_batch *b, struct yj_arena *a,
                            const struct intel_indicator *ind, struct yj_error *err);
enum yj_err intel_batch_problem(struct intel_batch *b, struct yj_arena *a, const char *where,
                                const char *object, const char *reason, struct yj_error *err);

#endif
