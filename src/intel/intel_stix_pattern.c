/*
 * intel_stix_pattern.c - the STIX 2.1 patterning language: a recursive-descent
 * parser of its grammar (observation expressions, qualifiers, comparison
 * expressions, object paths, literals) that turns the comparisons feeds use into
 * indicator values and names every part it cannot import; and the writer of the
 * patterns the exporter emits.
 */
#include "intel/intel_stix.h"

#include <ctype.h>
#include <stdarg.h>
#include <strings.h>

#include "core/yj.h"
#include "intel/intel_exchange.h"

enum { PX_DEPTH_MAX = 64, PX_PART_SHOWN = 160 };

/* What one comparison contributes, before an AND / OR decides what is imported. */
enum term_kind {
    T_VALUE,  /* an indicator value (canonical) */
    T_PORT,   /* network-traffic:dst_port, folded with a dst_ref value into a C&C endpoint */
    T_PROTO,  /* network-traffic:protocols[*] */
    T_PKG,    /* x-yingji-app:package */
    T_CERT,   /* x-yingji-app:signing_cert_sha256 */
    T_NARROW, /* another property of a file: harmless next to a hash, unsupported alone */
    T_CHECK,  /* network-traffic:*_ref.type: implied by the value, dropped silently */
    T_NOTE,   /* a narrowing part left out, reported if its expression is imported */
};

struct term {
    enum term_kind kind;
    enum intel_type type;
    const char *value; /* T_VALUE canonical; T_PORT, T_PROTO, T_PKG, T_CERT raw */
    bool subdomains;
    bool dst;        /* network-traffic:dst_ref */
    const char *obj; /* the object type the comparison is about */
    const char *part;
};

/* An expression's outcome: its terms are p->terms[first .. first + n). A bad expression
 * has none; its reason is reported unless a wider one supersedes it. */
struct res {
    size_t first, n;
    const char *bad;
};

struct px {
    const char *s;
    size_t len, i;
    int depth;
    const char *syntax; /* the first syntax error; nothing is imported then */
    size_t syntax_at;
    bool oom;
    struct yj_arena *a;
    struct term *terms;
    size_t nt, cap;
    const char **pending; /* problems, recorded only if the pattern parses */
    size_t np, pcap;
};

/* --- helpers ------------------------------------------------------------------------ */

static void *px_grow(struct px *p, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *q = yj_arena_calloc(p->a, ncap, size);
    if (!q) {
        p->oom = true;
        return NULL;
    }
    if (n)
        memcpy(q, items, n * size);
    *cap = ncap;
    return q;
}

static void px_pending(struct px *p, const char *reason)
{
    const char **q = px_grow(p, p->pending, p->np, &p->pcap, sizeof *q);
    if (!q)
        return;
    p->pending = q;
    p->pending[p->np++] = reason;
}

static struct term *px_term(struct px *p, enum term_kind kind, const char *obj, const char *part)
{
    struct term *t = px_grow(p, p->terms, p->nt, &p->cap, sizeof *t);
    if (!t)
        return NULL;
    p->terms = t;
    t = &p->terms[p->nt++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->obj = obj;
    t->part = part;
    return t;
}

/* printf into the arena; on failure p->oom and "" (so a message is never NULL). */
__attribute__((format(printf, 2, 3))) static const char *px_printf(struct px *p, const char *fmt,
                                                                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct yj_buf b;
    yj_buf_init(&b, 2 * INTEL_STIX_PATTERN_MAX);
    enum yj_err rc = yj_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = rc == YJ_OK ? yj_arena_strdup(p->a, b.ptr) : NULL;
    yj_buf_release(&b);
    if (!s)
        p->oom = true;
    else /* messages quote the pattern, which may not be text */
        intel_utf8_scrub(s);
    return s ? s : "";
}

/* The source text from..to, shortened for a message. */
static const char *px_part(struct px *p, size_t from, size_t to)
{
    while (from < to && isspace((unsigned char)p->s[from]))
        from++;
    while (to > from && isspace((unsigned char)p->s[to - 1]))
        to--;
    char cut[PX_PART_SHOWN + 1];
    size_t n = to - from > PX_PART_SHOWN ? PX_PART_SHOWN : to - from;
    memcpy(cut, p->s + from, n);
    cut[n] = '\0';
    if (n < to - from)
        yj_utf8_cut(cut, n);
    return px_printf(p, "%s%s", cut, n < to - from ? "..." : "");
}

static struct res px_bad(struct px *p, size_t first, const char *reason)
{
    p->nt = first; /* the expression's terms are not imported */
    return (struct res){first, 0, reason ? reason : "syntax error"};
}

static void px_syntax(struct px *p, const char *what)
{
    if (!p->syntax) {
        p->syntax = what;
        p->syntax_at = p->i;
    }
}

static bool px_failed(const struct px *p)
{
    return p->syntax || p->oom;
}

static void px_ws(struct px *p)
{
    while (p->i < p->len && isspace((unsigned char)p->s[p->i]))
        p->i++;
}

static bool is_ident(int c)
{
    return isalnum(c) || c == '_' || c == '-';
}

/* Consumes the keyword kw (any case) if it is the next word. */
static bool px_kw(struct px *p, const char *kw)
{
    px_ws(p);
    size_t n = strlen(kw);
    if (p->len - p->i < n || strncasecmp(p->s + p->i, kw, n) != 0)
        return false;
    if (p->i + n < p->len && is_ident((unsigned char)p->s[p->i + n]))
        return false;
    p->i += n;
    return true;
}

static bool px_char(struct px *p, char c)
{
    px_ws(p);
    if (p->i < p->len && p->s[p->i] == c) {
        p->i++;
        return true;
    }
    return false;
}

/* --- literals ------------------------------------------------------------------------- */

enum lit_kind { L_NONE, L_STRING, L_INT, L_OTHER };

struct lit {
    enum lit_kind kind;
    const char *text; /* L_STRING unescaped; L_INT digits */
};

/* A quoted string at p->i ('...' with \' and \\ the only escapes), unescaped. */
static const char *px_string(struct px *p)
{
    if (p->i >= p->len || p->s[p->i] != '\'') {
        px_syntax(p, "expected a quoted string");
        return NULL;
    }
    size_t start = ++p->i, n = 0;
    for (size_t j = start; j < p->len && p->s[j] != '\''; j++, n++)
        if (p->s[j] == '\\')
            j++;
    char *out = yj_arena_alloc(p->a, n + 1);
    if (!out) {
        p->oom = true;
        return NULL;
    }
    size_t o = 0;
    while (p->i < p->len && p->s[p->i] != '\'') {
        char c = p->s[p->i++];
        if (c == '\\') {
            if (p->i >= p->len || (p->s[p->i] != '\'' && p->s[p->i] != '\\')) {
                px_syntax(p, "bad escape in a string (only \\' and \\\\)");
                return NULL;
            }
            c = p->s[p->i++];
        }
        out[o++] = c;
    }
    if (p->i >= p->len) {
        px_syntax(p, "unterminated string");
        return NULL;
    }
    p->i++;
    out[o] = '\0';
    return out;
}

static struct lit px_literal(struct px *p)
{
    px_ws(p);
    struct lit l = {L_NONE, NULL};
    if (p->i >= p->len) {
        px_syntax(p, "expected a value");
        return l;
    }
    char c = p->s[p->i];
    if (c == '\'') {
        l.text = px_string(p);
        l.kind = l.text ? L_STRING : L_NONE;
        return l;
    }
    if ((c == 't' || c == 'h' || c == 'b') && p->i + 1 < p->len && p->s[p->i + 1] == '\'') {
        p->i++; /* timestamp, hex and binary literals: never an indicator value */
        l.kind = px_string(p) ? L_OTHER : L_NONE;
        return l;
    }
    if (px_kw(p, "true") || px_kw(p, "false")) {
        l.kind = L_OTHER;
        return l;
    }
    size_t start = p->i;
    if (c == '-' || c == '+')
        p->i++;
    size_t digits = p->i;
    while (p->i < p->len && isdigit((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i == digits) {
        px_syntax(p, "expected a value");
        return l;
    }
    l.kind = start == digits ? L_INT : L_OTHER;
    if (p->i < p->len && p->s[p->i] == '.') {
        p->i++;
        while (p->i < p->len && isdigit((unsigned char)p->s[p->i]))
            p->i++;
        l.kind = L_OTHER;
    }
    if (l.kind == L_INT && !(l.text = yj_arena_strndup(p->a, p->s + start, p->i - start)))
        p->oom = true;
    return l;
}

/* --- object paths ------------------------------------------------------------------------ */

struct path {
    const char *obj;  /* "ipv4-addr" */
    const char *prop; /* "value", "hashes.SHA-256", "to_refs[*].value" */
};

/* An identifier or quoted component into *out (arena). */
static const char *px_component(struct px *p)
{
    px_ws(p);
    if (p->i < p->len && p->s[p->i] == '\'')
        return px_string(p);
    size_t start = p->i;
    while (p->i < p->len && is_ident((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i == start) {
        px_syntax(p, "expected an object path");
        return NULL;
    }
    const char *c = yj_arena_strndup(p->a, p->s + start, p->i - start);
    if (!c)
        p->oom = true;
    return c;
}

static bool px_path(struct px *p, struct path *out)
{
    out->obj = px_component(p);
    if (!out->obj || px_failed(p))
        return false;
    if (!px_char(p, ':')) {
        px_syntax(p, "expected ':' after the object type");
        return false;
    }
    struct yj_buf b;
    yj_buf_init(&b, INTEL_STIX_PATTERN_MAX);
    const char *c = px_component(p);
    bool ok = c && yj_buf_puts(&b, c) == YJ_OK;
    while (ok && !px_failed(p)) {
        if (px_char(p, '.')) {
            c = px_component(p);
            ok = c && yj_buf_printf(&b, ".%s", c) == YJ_OK;
        } else if (px_char(p, '[')) {
            px_ws(p);
            size_t start = p->i;
            if (p->i < p->len && p->s[p->i] == '*')
                p->i++;
            else
                while (p->i < p->len && isdigit((unsigned char)p->s[p->i]))
                    p->i++;
            if (p->i == start || !px_char(p, ']')) {
                px_syntax(p, "expected [*] or [index] in the object path");
                ok = false;
            } else {
                ok = yj_buf_puts(&b, "[*]") == YJ_OK; /* any element, as far as values go */
            }
        } else {
            break;
        }
    }
    out->prop = ok ? yj_arena_strdup(p->a, b.ptr) : NULL;
    yj_buf_release(&b);
    if (ok && !out->prop)
        p->oom = true;
    if (!ok && !px_failed(p))
        p->oom = true;
    return ok && !px_failed(p);
}

/* --- comparisons -------------------------------------------------------------------------- */

enum op { OP_EQ, OP_IN, OP_LIKE, OP_ISSUBSET, OP_OTHER };

struct target {
    enum term_kind kind;
    enum intel_type type; /* T_VALUE: INTEL_TYPE__COUNT means "by the value's shape" */
    bool ip_only;         /* by shape: an IP or range of this family (ipv4-addr, ipv6-addr) */
    bool dst;
};

static bool hash_type(const char *name, enum intel_type *t)
{
    static const struct {
        const char *name;
        enum intel_type t;
    } hashes[] = {{"md5", INTEL_MD5},       {"sha1", INTEL_SHA1},      {"sha-1", INTEL_SHA1},
                  {"sha256", INTEL_SHA256}, {"sha-256", INTEL_SHA256}, {"sm3", INTEL_SM3}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(hashes); i++)
        if (strcasecmp(name, hashes[i].name) == 0) {
            *t = hashes[i].t;
            return true;
        }
    return false;
}

/* What obj:prop is to us; false when it is no property we import. */
static bool classify(const struct path *path, struct target *t)
{
    const char *o = path->obj, *pr = path->prop;
    memset(t, 0, sizeof *t);
    t->kind = T_VALUE;
    t->type = INTEL_TYPE__COUNT;
    if (strcmp(pr, "value") == 0) {
        if (strcmp(o, "ipv4-addr") == 0 || strcmp(o, "ipv6-addr") == 0)
            return t->ip_only = true;
        static const struct {
            const char *obj;
            enum intel_type t;
        } values[] = {
            {"domain-name", INTEL_DOMAIN}, {"url", INTEL_URL}, {"email-addr", INTEL_EMAIL}};
        for (size_t i = 0; i < YJ_ARRAY_LEN(values); i++)
            if (strcmp(o, values[i].obj) == 0) {
                t->type = values[i].t;
                return true;
            }
        return false;
    }
    if (strcmp(o, "file") == 0) {
        if (strncmp(pr, "hashes.", 7) == 0 && hash_type(pr + 7, &t->type))
            return true;
        t->kind = T_NARROW;
        return true;
    }
    if (strcmp(o, "email-message") == 0) {
        static const char *const addrs[] = {"from_ref.value", "sender_ref.value",
                                            "to_refs[*].value", "cc_refs[*].value",
                                            "bcc_refs[*].value"};
        for (size_t i = 0; i < YJ_ARRAY_LEN(addrs); i++)
            if (strcmp(pr, addrs[i]) == 0) {
                t->type = INTEL_EMAIL;
                return true;
            }
        return false;
    }
    if (strcmp(o, "network-traffic") == 0) {
        t->dst = strncmp(pr, "dst_", 4) == 0;
        if (strcmp(pr, "dst_ref.value") == 0 || strcmp(pr, "src_ref.value") == 0)
            return true;
        if (strcmp(pr, "dst_ref.type") == 0 || strcmp(pr, "src_ref.type") == 0)
            return t->kind = T_CHECK, true;
        if (strcmp(pr, "dst_port") == 0)
            return t->kind = T_PORT, true;
        if (strcmp(pr, "protocols[*]") == 0)
            return t->kind = T_PROTO, true;
        return false;
    }
    if (strcmp(o, "x-yingji-app") == 0) {
        if (strcmp(pr, "package") == 0)
            return t->kind = T_PKG, true;
        if (strcmp(pr, "signing_cert_sha256") == 0)
            return t->kind = T_CERT, true;
    }
    return false;
}

/* The type of a value known only by its shape (IPs, ranges, and network-traffic hosts). */
static enum intel_type shape_type(const char *v, bool ip_only, const char *obj)
{
    bool slash = strchr(v, '/') != NULL;
    if (strcmp(obj, "ipv6-addr") == 0 || (!ip_only && strchr(v, ':')))
        return slash ? INTEL_CIDR6 : INTEL_IPV6;
    if (ip_only || strspn(v, "0123456789./") == strlen(v))
        return slash ? INTEL_CIDR4 : INTEL_IPV4;
    return INTEL_DOMAIN;
}

/* One value of a comparison as a term; a bad value is a reason, else NULL. */
static const char *px_value(struct px *p, const struct path *path, const struct target *tg,
                            enum op op, const struct lit *l, const char *part)
{
    if (tg->kind == T_PORT) {
        const char *digits = l->text;
        if ((l->kind != L_INT && l->kind != L_STRING) || op != OP_EQ || !digits ||
            strspn(digits, "0123456789") != strlen(digits) || !*digits || strlen(digits) > 5)
            return px_printf(p, "unsupported port comparison: %s", part);
        struct term *t = px_term(p, T_PORT, path->obj, part);
        if (t)
            t->value = digits;
        return NULL;
    }
    if (l->kind != L_STRING)
        return px_printf(p, "not a string value: %s", part);
    if (tg->kind != T_VALUE) {
        if (op != OP_EQ && op != OP_IN)
            return px_printf(p, "unsupported operator: %s", part);
        struct term *t = px_term(p, tg->kind, path->obj, part);
        if (t)
            t->value = l->text;
        return NULL;
    }
    const char *raw = l->text;
    bool subdomains = false;
    enum intel_type type = tg->type;
    if (op == OP_LIKE) {
        /* '%.example.com' is "every subdomain of example.com"; no other LIKE is a value */
        if (type != INTEL_DOMAIN || strncmp(raw, "%.", 2) != 0 || strchr(raw + 2, '%'))
            return px_printf(p, "unsupported operator LIKE: %s", part);
        raw += 2;
        subdomains = true;
    }
    if (type == INTEL_TYPE__COUNT)
        type = shape_type(raw, tg->ip_only, path->obj);
    if (op == OP_ISSUBSET && type != INTEL_CIDR4 && type != INTEL_CIDR6 && type != INTEL_IPV4 &&
        type != INTEL_IPV6)
        return px_printf(p, "unsupported operator ISSUBSET: %s", part);
    const char *canon;
    struct yj_error e;
    if (intel_canonical(type, raw, "value", p->a, &canon, &e) != YJ_OK) {
        if (e.code == YJ_ENOMEM)
            p->oom = true;
        return px_printf(p, "bad value in %s: %s", part, e.msg);
    }
    struct term *t = px_term(p, T_VALUE, path->obj, part);
    if (t) {
        t->type = type;
        t->value = canon;
        t->subdomains = subdomains;
        t->dst = tg->dst;
    }
    return NULL;
}

static struct res px_cmp_or(struct px *p);

static enum op px_op(struct px *p, const char **name)
{
    px_ws(p);
    static const struct {
        const char *text;
        enum op op;
        bool word;
    } ops[] = {
        {"==", OP_EQ, false},
        {"!=", OP_OTHER, false},
        {"<>", OP_OTHER, false},
        {"<=", OP_OTHER, false},
        {">=", OP_OTHER, false},
        {"=", OP_EQ, false},
        {"<", OP_OTHER, false},
        {">", OP_OTHER, false},
        {"IN", OP_IN, true},
        {"LIKE", OP_LIKE, true},
        {"MATCHES", OP_OTHER, true},
        {"ISSUBSET", OP_ISSUBSET, true},
        {"ISSUPERSET", OP_OTHER, true},
    };
    for (size_t k = 0; k < YJ_ARRAY_LEN(ops); k++) {
        size_t n = strlen(ops[k].text);
        if (ops[k].word ? px_kw(p, ops[k].text)
                        : (p->len - p->i >= n && memcmp(p->s + p->i, ops[k].text, n) == 0)) {
            if (!ops[k].word)
                p->i += n;
            *name = ops[k].text;
            return ops[k].op;
        }
    }
    px_syntax(p, "expected a comparison operator");
    return OP_OTHER;
}

/* objectPath NOT? op literal | objectPath NOT? IN (literal, ...) | ( comparisonExpression ) |
 * EXISTS objectPath */
static struct res px_prop_test(struct px *p)
{
    size_t first = p->nt;
    px_ws(p);
    size_t start = p->i;
    if (px_char(p, '(')) {
        if (++p->depth > PX_DEPTH_MAX) {
            px_syntax(p, "nested deeper than 64");
            return px_bad(p, first, NULL);
        }
        struct res r = px_cmp_or(p);
        p->depth--;
        if (!px_char(p, ')'))
            px_syntax(p, "expected ')'");
        return r;
    }
    if (px_kw(p, "EXISTS")) {
        struct path path;
        px_path(p, &path);
        return px_bad(p, first, px_printf(p, "unsupported EXISTS: %s", px_part(p, start, p->i)));
    }
    struct path path;
    if (!px_path(p, &path))
        return px_bad(p, first, NULL);
    bool negated = px_kw(p, "NOT");
    const char *opname = "";
    enum op op = px_op(p, &opname);
    struct lit lits[1];
    const struct lit *vals = lits;
    size_t nv = 1;
    struct lit *set = NULL;
    if (op == OP_IN) {
        if (!px_char(p, '(')) {
            px_syntax(p, "expected '(' after IN");
            return px_bad(p, first, NULL);
        }
        size_t cap = 0;
        nv = 0;
        do {
            struct lit l = px_literal(p);
            if (px_failed(p))
                return px_bad(p, first, NULL);
            struct lit *grown = px_grow(p, set, nv, &cap, sizeof *set);
            if (!grown)
                return px_bad(p, first, NULL);
            set = grown;
            set[nv++] = l;
        } while (px_char(p, ','));
        if (!px_char(p, ')'))
            px_syntax(p, "expected ')' after the set");
        vals = set;
    } else {
        lits[0] = px_literal(p);
    }
    if (px_failed(p))
        return px_bad(p, first, NULL);
    const char *part = px_part(p, start, p->i);
    struct target tg;
    if (!classify(&path, &tg))
        return px_bad(p, first, px_printf(p, "unsupported comparison: %s", part));
    if (negated)
        return px_bad(p, first, px_printf(p, "unsupported NOT: %s", part));
    if (op == OP_OTHER || (op == OP_ISSUBSET && tg.kind != T_VALUE))
        return px_bad(p, first, px_printf(p, "unsupported operator %s: %s", opname, part));
    if (tg.kind == T_NARROW || tg.kind == T_CHECK) {
        px_term(p, tg.kind, path.obj, part);
        return (struct res){first, p->nt - first, NULL};
    }
    const char *first_bad = NULL;
    for (size_t k = 0; k < nv && !p->oom; k++) {
        const char *why = px_value(p, &path, &tg, op, &vals[k], part);
        if (why && !first_bad)
            first_bad = why;
        else if (why) /* a set's other bad values: each named */
            px_pending(p, why);
    }
    if (p->oom)
        return px_bad(p, first, NULL);
    if (first_bad && p->nt == first)
        return px_bad(p, first, first_bad);
    if (first_bad)
        px_pending(p, first_bad);
    return (struct res){first, p->nt - first, NULL};
}

/* --- combining ------------------------------------------------------------------------- */

/* An AND: both sides about one object, or nothing of it is imported. */
static struct res px_and(struct px *p, struct res l, struct res r, size_t start)
{
    if (l.bad || r.bad)
        return px_bad(p, l.first, l.bad ? l.bad : r.bad);
    const char *obj = NULL;
    for (size_t k = l.first; k < l.first + l.n + r.n; k++) {
        const struct term *t = &p->terms[k];
        if (t->kind == T_NOTE)
            continue;
        if (!obj)
            obj = t->obj;
        else if (strcmp(obj, t->obj) != 0)
            return px_bad(p, l.first,
                          px_printf(p, "AND of different objects (%s, %s): %s", obj, t->obj,
                                    px_part(p, start, p->i)));
    }
    return (struct res){l.first, l.n + r.n, NULL};
}

/* Removes the terms of r that are not values or notes. */
static void px_compact(struct px *p, struct res *r)
{
    size_t o = r->first;
    for (size_t k = r->first; k < r->first + r->n; k++)
        if (p->terms[k].kind == T_VALUE || p->terms[k].kind == T_NOTE)
            p->terms[o++] = p->terms[k];
    r->n = o - r->first;
    p->nt = o;
}

/* The one term of kind k in r (its index), or -1 when there is none, -2 when several. */
static long px_only(const struct px *p, struct res r, enum term_kind k)
{
    long at = -1;
    for (size_t i = r.first; i < r.first + r.n; i++)
        if (p->terms[i].kind == k)
            at = at == -1 ? (long)i : -2;
    return at;
}

/* Replaces the terms of r by one value of type t made of raw, which term `keep` carried. */
static struct res px_fold(struct px *p, struct res r, size_t keep, enum intel_type t,
                          const char *raw, size_t start)
{
    const char *canon;
    struct yj_error e;
    if (intel_canonical(t, raw, "value", p->a, &canon, &e) != YJ_OK) {
        p->oom = p->oom || e.code == YJ_ENOMEM;
        return px_bad(
            p, r.first,
            px_printf(p, "bad %s in %s: %s", intel_type_code(t), px_part(p, start, p->i), e.msg));
    }
    struct term v = p->terms[keep];
    v.kind = T_VALUE;
    v.type = t;
    v.value = canon;
    v.subdomains = false;
    for (size_t i = r.first; i < r.first + r.n; i++)
        if (p->terms[i].kind != T_NARROW && p->terms[i].kind != T_NOTE)
            p->terms[i].kind = T_CHECK;
    p->terms[keep] = v;
    return r;
}

/* A C&C endpoint from network-traffic terms: one dst host, one port, a protocol or none. */
static struct res px_fold_cc(struct px *p, struct res r, size_t start)
{
    long host = px_only(p, r, T_VALUE), port = px_only(p, r, T_PORT);
    long proto = px_only(p, r, T_PROTO);
    const struct term *h = host >= 0 ? &p->terms[host] : NULL;
    if (!h || port < 0 || proto == -2 || !h->dst ||
        (h->type != INTEL_IPV4 && h->type != INTEL_IPV6 && h->type != INTEL_DOMAIN))
        return px_bad(p, r.first,
                      px_printf(p,
                                "unsupported network-traffic (a C&C endpoint is one "
                                "dst_ref.value, one dst_port, at most one protocol): %s",
                                px_part(p, start, p->i)));
    const char *raw = px_printf(p, h->type == INTEL_IPV6 ? "[%s]:%s%s%s" : "%s:%s%s%s", h->value,
                                p->terms[port].value, proto >= 0 ? "/" : "",
                                proto >= 0 ? p->terms[proto].value : "");
    return px_fold(p, r, (size_t)host, INTEL_CC, raw, start);
}

/* A mobile app from x-yingji-app terms: one package, a signing certificate or none. */
static struct res px_fold_app(struct px *p, struct res r, size_t start)
{
    long pkg = px_only(p, r, T_PKG), cert = px_only(p, r, T_CERT);
    if (pkg < 0 || cert == -2 || px_only(p, r, T_VALUE) != -1)
        return px_bad(p, r.first,
                      px_printf(p,
                                "unsupported x-yingji-app (one package, at most one "
                                "signing_cert_sha256): %s",
                                px_part(p, start, p->i)));
    const char *raw = cert >= 0 ? px_printf(p, "%s|%s", p->terms[pkg].value, p->terms[cert].value)
                                : p->terms[pkg].value;
    return px_fold(p, r, (size_t)pkg, INTEL_APP, raw, start);
}

/*
 * A complete expression (an observation's brackets, a side of an OR, the pattern):
 * folds the parts of a C&C endpoint or an app into one value, and decides the parts
 * that only narrow: dropped with a note next to a value, unsupported alone.
 */
static struct res px_finish(struct px *p, struct res r, size_t start)
{
    if (r.bad)
        return r;
    bool cc = false, app = false, value = false;
    const struct term *narrow = NULL;
    for (size_t k = r.first; k < r.first + r.n; k++) {
        const struct term *t = &p->terms[k];
        cc = cc || t->kind == T_PORT || t->kind == T_PROTO;
        app = app || t->kind == T_PKG || t->kind == T_CERT;
        if (t->kind == T_NARROW && !narrow)
            narrow = t;
    }
    if (cc)
        r = px_fold_cc(p, r, start);
    else if (app)
        r = px_fold_app(p, r, start);
    if (r.bad)
        return r;
    for (size_t k = r.first; k < r.first + r.n; k++)
        value = value || p->terms[k].kind == T_VALUE;
    if (!value && (narrow || r.n > 0)) {
        const char *part = narrow ? narrow->part : px_part(p, start, p->i);
        return px_bad(p, r.first, px_printf(p, "unsupported comparison: %s", part));
    }
    for (size_t k = r.first; k < r.first + r.n; k++)
        if (p->terms[k].kind == T_NARROW)
            p->terms[k].kind = T_NOTE;
    px_compact(p, &r);
    return r;
}

/* An OR: each side stands alone; a bad side is reported and the other kept. */
static struct res px_or(struct px *p, struct res l, struct res r)
{
    if (l.bad && r.bad) {
        px_pending(p, l.bad);
        return r;
    }
    if (l.bad || r.bad) {
        px_pending(p, l.bad ? l.bad : r.bad);
        return l.bad ? r : l;
    }
    return (struct res){l.first, l.n + r.n, NULL};
}

/* comparisonExpressionAnd: propTest (AND propTest)* */
static struct res px_cmp_and(struct px *p)
{
    px_ws(p);
    size_t start = p->i;
    struct res r = px_prop_test(p);
    while (!px_failed(p) && px_kw(p, "AND"))
        r = px_and(p, r, px_prop_test(p), start);
    return r;
}

/* comparisonExpression: comparisonExpressionAnd (OR comparisonExpressionAnd)* */
static struct res px_cmp_or(struct px *p)
{
    px_ws(p);
    size_t start = p->i;
    struct res r = px_cmp_and(p);
    for (bool first = true; !px_failed(p); first = false) {
        size_t at = p->i;
        if (!px_kw(p, "OR"))
            break;
        if (first) { /* the left side ends before the OR */
            size_t after = p->i;
            p->i = at;
            r = px_finish(p, r, start);
            p->i = after;
        }
        px_ws(p);
        size_t rs = p->i;
        r = px_or(p, r, px_finish(p, px_cmp_and(p), rs));
    }
    return r;
}

/* --- observation expressions --------------------------------------------------------------- */

static struct res px_obs_seq(struct px *p);

/* '[' comparisonExpression ']' | '(' observationExpressions ')', then any qualifiers */
static struct res px_obs(struct px *p)
{
    size_t first = p->nt;
    px_ws(p);
    size_t start = p->i;
    struct res r;
    if (px_char(p, '[')) {
        r = px_finish(p, px_cmp_or(p), start + 1);
        if (!px_char(p, ']'))
            px_syntax(p, "expected ']'");
    } else if (px_char(p, '(')) {
        if (++p->depth > PX_DEPTH_MAX) {
            px_syntax(p, "nested deeper than 64");
            return px_bad(p, first, NULL);
        }
        r = px_obs_seq(p);
        p->depth--;
        if (!px_char(p, ')'))
            px_syntax(p, "expected ')'");
    } else {
        px_syntax(p, "expected '[' or '('");
        return px_bad(p, first, NULL);
    }
    for (;;) {
        const char *q = NULL;
        if (px_kw(p, "WITHIN")) {
            q = "WITHIN";
            px_literal(p);
            if (!px_kw(p, "SECONDS"))
                px_syntax(p, "expected SECONDS");
        } else if (px_kw(p, "REPEATS")) {
            q = "REPEATS";
            px_literal(p);
            if (!px_kw(p, "TIMES"))
                px_syntax(p, "expected TIMES");
        } else if (px_kw(p, "START")) {
            q = "START";
            px_literal(p);
            if (!px_kw(p, "STOP"))
                px_syntax(p, "expected STOP");
            px_literal(p);
        }
        if (!q || px_failed(p))
            break;
        r = px_bad(p, first,
                   px_printf(p, "unsupported qualifier %s: %s", q, px_part(p, start, p->i)));
    }
    return r;
}

static struct res px_obs_and(struct px *p)
{
    px_ws(p);
    size_t start = p->i;
    struct res r = px_obs(p);
    while (!px_failed(p) && px_kw(p, "AND"))
        r = px_and(p, r, px_obs(p), start);
    return r;
}

static struct res px_obs_or(struct px *p)
{
    struct res r = px_obs_and(p);
    while (!px_failed(p) && px_kw(p, "OR"))
        r = px_or(p, r, px_obs_and(p));
    return r;
}

/* observationExpressions: observationExpressionOr (FOLLOWEDBY observationExpressionOr)* */
static struct res px_obs_seq(struct px *p)
{
    px_ws(p);
    size_t start = p->i, first = p->nt;
    struct res r = px_obs_or(p);
    while (!px_failed(p) && px_kw(p, "FOLLOWEDBY")) {
        px_obs_or(p);
        r = px_bad(p, first, px_printf(p, "unsupported FOLLOWEDBY: %s", px_part(p, start, p->i)));
    }
    return r;
}

/* --- entry points -------------------------------------------------------------------------- */

static enum yj_err px_problem(struct intel_batch *b, struct yj_arena *a, const char *where,
                              const char *object, const char *reason, struct yj_error *err)
{
    return intel_batch_problem(b, a, where, object, reason, err);
}

struct px_key {
    const struct term *t;
    size_t at;
};

static int px_key_cmp(const void *x, const void *y)
{
    const struct px_key *a = x, *b = y;
    if (a->t->type != b->t->type)
        return a->t->type < b->t->type ? -1 : 1;
    int c = strcmp(a->t->value, b->t->value);
    return c ? c : (a->at < b->at ? -1 : a->at > b->at);
}

/* The pattern's values as indicators (one per distinct value: "x = 'a' OR x LIKE '%.a'" is
 * a with its subdomains), then its notes and problems. */
static enum yj_err px_emit(struct px *p, struct res r, const struct intel_indicator *tmpl,
                           const char *where, const char *object, struct intel_batch *b,
                           struct yj_error *err)
{
    struct yj_arena *a = p->a;
    struct px_key *keys = r.n ? yj_arena_calloc(a, r.n, sizeof *keys) : NULL;
    bool *skip = r.n ? yj_arena_calloc(a, r.n, sizeof *skip) : NULL;
    bool *subs = r.n ? yj_arena_calloc(a, r.n, sizeof *subs) : NULL;
    if (r.n && (!keys || !skip || !subs))
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t nk = 0;
    for (size_t k = 0; k < r.n; k++)
        if (p->terms[r.first + k].kind == T_VALUE)
            keys[nk++] = (struct px_key){&p->terms[r.first + k], k};
    if (nk > 1)
        qsort(keys, nk, sizeof *keys, px_key_cmp);
    for (size_t k = 0, run = 0; k < nk; k++) {
        if (k > 0 && px_key_cmp(&(struct px_key){keys[k].t, 0}, &(struct px_key){keys[run].t, 0}))
            run = k;
        subs[keys[run].at] = subs[keys[run].at] || keys[k].t->subdomains;
        skip[keys[k].at] = k != run;
    }
    enum yj_err rc = YJ_OK;
    for (size_t k = 0; rc == YJ_OK && k < r.n; k++) {
        const struct term *t = &p->terms[r.first + k];
        if (t->kind == T_NOTE) {
            const char *why =
                px_printf(p, "not imported: %s (the hash identifies the file)", t->part);
            rc = p->oom ? yj_error_set(err, YJ_ENOMEM, NULL, "out of memory")
                        : px_problem(b, a, where, object, why, err);
        } else if (!skip[k]) {
            struct intel_indicator ind = *tmpl;
            ind.type = t->type;
            ind.value = t->value;
            ind.subdomains = subs[k];
            rc = intel_batch_add(b, a, &ind, err);
        }
    }
    for (size_t k = 0; rc == YJ_OK && k < p->np; k++)
        rc = px_problem(b, a, where, object, p->pending[k], err);
    return rc;
}

enum yj_err intel_stix_pattern_import(const char *pattern, const struct intel_indicator *tmpl,
                                      const char *where, const char *object, struct yj_arena *a,
                                      struct intel_batch *b, struct yj_error *err)
{
    size_t len = strnlen(pattern, INTEL_STIX_PATTERN_MAX + 1);
    if (len > INTEL_STIX_PATTERN_MAX)
        return px_problem(b, a, where, object, "pattern longer than 256 KiB", err);
    struct px p = {.s = pattern, .len = len, .a = a};
    struct res r = px_obs_seq(&p);
    px_ws(&p);
    if (!px_failed(&p) && p.i < p.len)
        px_syntax(&p, "unexpected text after the pattern");
    if (p.oom)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (p.syntax) {
        char msg[YJ_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "pattern syntax error at column %zu: %s", p.syntax_at + 1,
                 p.syntax);
        return px_problem(b, a, where, object, msg, err);
    }
    r = px_finish(&p, r, 0);
    if (p.oom)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (r.bad)
        px_pending(&p, r.bad);
    return px_emit(&p, r, tmpl, where, object, b, err);
}
