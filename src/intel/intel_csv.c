/*
 * intel_csv.c - CSV (RFC 4180) and plain lists of indicators in, CSV out. The
 * reader keeps quoted fields exact and trims unquoted ones, and refuses a file that
 * is not text or whose quoting is broken, with the line and column.
 */
#include "intel/intel_csv.h"

#include <ctype.h>
#include <strings.h>

#include "core/yj.h"
#include "intel/intel_exchange.h"

/* --- text ------------------------------------------------------------------------------ */

/* The offset of the first byte that is no text (NUL, a control other than tab, CR, LF,
 * invalid or overlong UTF-8, a surrogate), or n. */
static size_t text_bad_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return i;
            i++;
            continue;
        }
        size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (!len || len > n - i)
            return i;
        uint32_t cp = c & (0x7fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

/* Line and column (characters, from 1) of offset at in s. */
static void position(const char *s, size_t at, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static enum yj_err refuse_at(const char *s, size_t at, const char *what, struct yj_error *err)
{
    size_t line, col;
    position(s, at, &line, &col);
    return yj_error_set(err, YJ_EINVAL, "file", "%s at line %zu, column %zu", what, line, col);
}

/* Refuses what is not text; skips a UTF-8 byte order mark. */
static enum yj_err check_text(const char **text, size_t *len, struct yj_error *err)
{
    if (*len >= 3 && memcmp(*text, "\xef\xbb\xbf", 3) == 0) {
        *text += 3;
        *len -= 3;
    }
    size_t bad = text_bad_at((const unsigned char *)*text, *len);
    if (bad < *len)
        return refuse_at(*text, bad, "not a text file: a binary or invalid UTF-8 byte", err);
    return YJ_OK;
}

/* --- CSV records ------------------------------------------------------------------------- */

struct field {
    const char *p;
    size_t n;
    bool quoted;
};

struct csv {
    const char *s;
    size_t len, i;
    char delim;
    struct yj_arena *a;
    struct field fields[INTEL_CSV_COLS_MAX];
    size_t nf;
    size_t line; /* of the record just read */
    size_t next_line;
};

/* A quoted field from r->i (at the opening quote). */
static enum yj_err csv_quoted(struct csv *r, struct field *f, struct yj_error *err)
{
    size_t open = r->i++, start = r->i, quotes = 0;
    for (;;) {
        if (r->i >= r->len)
            return refuse_at(r->s, open, "unterminated quoted field", err);
        char c = r->s[r->i];
        if (c == '\n')
            r->next_line++;
        if (c == '"' && r->i + 1 < r->len && r->s[r->i + 1] == '"') {
            quotes++;
            r->i += 2;
            continue;
        }
        if (c == '"')
            break;
        r->i++;
    }
    size_t n = r->i - start;
    r->i++;
    if (r->i < r->len && r->s[r->i] != r->delim && r->s[r->i] != '\n' && r->s[r->i] != '\r')
        return refuse_at(r->s, r->i, "text after a closing quote", err);
    if (n - quotes > INTEL_CSV_FIELD_MAX)
        return refuse_at(r->s, open, "field over 64 KiB", err);
    if (!quotes) {
        *f = (struct field){r->s + start, n, true};
        return YJ_OK;
    }
    char *out = yj_arena_alloc(r->a, n - quotes + 1);
    if (!out)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t o = 0;
    for (size_t k = start; k < start + n; k++) {
        out[o++] = r->s[k];
        if (r->s[k] == '"')
            k++; /* "" is one quote */
    }
    out[o] = '\0';
    *f = (struct field){out, o, true};
    return YJ_OK;
}

/* The next record into r->fields; *got false at the end of the text. */
static enum yj_err csv_next(struct csv *r, bool *got, struct yj_error *err)
{
    r->nf = 0;
    *got = r->i < r->len;
    if (!*got)
        return YJ_OK;
    r->line = r->next_line;
    for (;;) {
        struct field f;
        if (r->s[r->i] == '"') {
            enum yj_err rc = csv_quoted(r, &f, err);
            if (rc != YJ_OK)
                return rc;
        } else {
            size_t start = r->i;
            while (r->i < r->len && r->s[r->i] != r->delim && r->s[r->i] != '\n' &&
                   r->s[r->i] != '\r')
                r->i++;
            if (r->i - start > INTEL_CSV_FIELD_MAX)
                return refuse_at(r->s, start, "field over 64 KiB", err);
            f = (struct field){r->s + start, r->i - start, false};
            while (f.n && isspace((unsigned char)*f.p)) /* unquoted fields are trimmed */
                f.p++, f.n--;
            while (f.n && isspace((unsigned char)f.p[f.n - 1]))
                f.n--;
        }
        if (r->nf < INTEL_CSV_COLS_MAX)
            r->fields[r->nf++] = f;
        if (r->i < r->len && r->s[r->i] == r->delim) {
            r->i++;
            if (r->i < r->len)
                continue;
            if (r->nf < INTEL_CSV_COLS_MAX) /* "a," ends in an empty field */
                r->fields[r->nf++] = (struct field){"", 0, false};
        }
        break;
    }
    if (r->i < r->len && r->s[r->i] == '\r')
        r->i++;
    if (r->i < r->len && r->s[r->i] == '\n')
        r->i++;
    r->next_line++;
    return YJ_OK;
}

/* A comment row, or a blank one (nothing but delimiters and spaces). */
static bool csv_skip(const struct csv *r)
{
    if (r->nf > 0 && !r->fields[0].quoted && r->fields[0].n > 0 && r->fields[0].p[0] == '#')
        return true;
    for (size_t i = 0; i < r->nf; i++)
        if (r->fields[i].n > 0 || r->fields[i].quoted)
            return false;
    return true;
}

/* --- mapping ----------------------------------------------------------------------------- */

void intel_csv_map_init(struct intel_csv_map *m)
{
    int *cols[] = {&m->type,        &m->category,   &m->confidence,  &m->tlp,
                   &m->sightings,   &m->tags,       &m->first_seen,  &m->last_seen,
                   &m->valid_until, &m->subdomains, &m->description, &m->external_id};
    for (size_t i = 0; i < YJ_ARRAY_LEN(cols); i++)
        *cols[i] = -1;
    m->value = 0;
    m->header = false;
    m->delimiter = ',';
    m->tag_sep = ';';
}

/* The map's column for a header name, or NULL. */
static int *map_column(struct intel_csv_map *m, const char *p, size_t n)
{
    const struct {
        const char *name;
        int *col;
    } names[] = {
        {"value", &m->value},
        {"indicator", &m->value},
        {"ioc", &m->value},
        {"observable", &m->value},
        {"type", &m->type},
        {"category", &m->category},
        {"confidence", &m->confidence},
        {"tlp", &m->tlp},
        {"sightings", &m->sightings},
        {"tags", &m->tags},
        {"first_seen", &m->first_seen},
        {"last_seen", &m->last_seen},
        {"valid_until", &m->valid_until},
        {"subdomains", &m->subdomains},
        {"description", &m->description},
        {"external_id", &m->external_id},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(names); i++)
        if (strlen(names[i].name) == n && strncasecmp(p, names[i].name, n) == 0)
            return names[i].col;
    return NULL;
}

enum yj_err intel_csv_map_header(const char *text, size_t len, struct intel_csv_map *m,
                                 struct yj_error *err)
{
    char delim = m->delimiter ? m->delimiter : ',', sep = m->tag_sep ? m->tag_sep : ';';
    intel_csv_map_init(m);
    m->delimiter = delim;
    m->tag_sep = sep;
    m->value = -1;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct csv *r = calloc(1, sizeof *r);
    enum yj_err rc =
        r ? check_text(&text, &len, err) : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    bool got = false;
    if (rc == YJ_OK) {
        *r = (struct csv){.s = text, .len = len, .delim = delim, .a = &a, .next_line = 1};
        rc = csv_next(r, &got, err);
    }
    for (size_t i = 0; rc == YJ_OK && got && i < r->nf; i++) {
        int *col = map_column(m, r->fields[i].p, r->fields[i].n);
        if (col && *col < 0)
            *col = (int)i;
    }
    free(r);
    yj_arena_release(&a);
    if (rc != YJ_OK) {
        char msg[YJ_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
        return yj_error_set(err, rc, "header", "%s", msg);
    }
    if (m->value < 0)
        return yj_error_set(err, YJ_EINVAL, "header", "no column named value (or indicator, ioc)");
    m->header = true;
    return YJ_OK;
}

/* --- rows --------------------------------------------------------------------------------- */

struct row_in {
    struct yj_arena *a;
    struct intel_batch *b;
    const struct intel_csv_map *m;
    const struct intel_indicator *defaults;
    struct csv *r;
    char where[32];
    struct yj_error *err;
};

static enum yj_err row_problem(struct row_in *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum yj_err row_problem(struct row_in *in, const char *fmt, ...)
{
    char reason[YJ_ERR_MSG_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    intel_utf8_scrub(reason);
    return intel_batch_problem(in->b, in->a, in->where, NULL, reason, in->err);
}

/* The cell of column col as text (arena), or NULL when the row has none or it is empty. */
static char *cell(struct row_in *in, int col, bool *oom)
{
    if (col < 0 || (size_t)col >= in->r->nf || in->r->fields[col].n == 0)
        return NULL;
    char *s = yj_arena_strndup(in->a, in->r->fields[col].p, in->r->fields[col].n);
    *oom = *oom || !s;
    return s;
}

/* A type named in a cell: our codes and the names feeds use. *shape: decided by the value. */
static bool cell_type(const char *s, enum intel_type *t, bool *ip_shape)
{
    static const struct {
        const char *name;
        enum intel_type t;
    } aliases[] = {{"hostname", INTEL_DOMAIN}, {"domain-name", INTEL_DOMAIN},
                   {"fqdn", INTEL_DOMAIN},     {"uri", INTEL_URL},
                   {"link", INTEL_URL},        {"email-addr", INTEL_EMAIL},
                   {"email-src", INTEL_EMAIL}, {"email-dst", INTEL_EMAIL},
                   {"sha-1", INTEL_SHA1},      {"sha-256", INTEL_SHA256}};
    static const char *const ips[] = {"ip", "ip-src", "ip-dst", "ipv4-addr", "ipv6-addr", "cidr"};
    *ip_shape = false;
    for (int i = 0; i < INTEL_TYPE__COUNT; i++)
        if (strcasecmp(s, intel_type_code((enum intel_type)i)) == 0) {
            *t = (enum intel_type)i;
            return true;
        }
    for (size_t i = 0; i < YJ_ARRAY_LEN(aliases); i++)
        if (strcasecmp(s, aliases[i].name) == 0) {
            *t = aliases[i].t;
            return true;
        }
    for (size_t i = 0; i < YJ_ARRAY_LEN(ips); i++)
        if (strcasecmp(s, ips[i]) == 0)
            return *ip_shape = true;
    return false;
}

/* A time: RFC 3339, "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (UTC), or epoch seconds (up to
 * the end of year 9999, as far as RFC 3339 can write it back). */
static bool parse_when(const char *s, int64_t *ms)
{
    int64_t secs;
    if (yj_parse_i64(s, 1, 253402300799, &secs) == 0) {
        *ms = secs * 1000;
        return true;
    }
    if (yj_time_parse(s, ms) == 0)
        return true;
    char buf[48];
    size_t n = strlen(s);
    if (n < 10 || n > 32)
        return false;
    snprintf(buf, sizeof buf, "%s%s", s, n == 10 ? "T00:00:00Z" : "Z");
    if (buf[10] == ' ')
        buf[10] = 'T';
    return yj_time_parse(buf, ms) == 0;
}

/* The optional fields of a row; a bad one is a problem and keeps its default. */
static enum yj_err row_fields(struct row_in *in, struct intel_indicator *ind, bool *cat_given)
{
    const struct intel_csv_map *m = in->m;
    bool oom = false;
    enum yj_err rc = YJ_OK;
    const char *v;
    int64_t n;
    if ((v = cell(in, m->category, &oom)) && rc == YJ_OK) {
        *cat_given = intel_category_parse(v, "category", &ind->category, NULL) == YJ_OK;
        if (!*cat_given)
            rc = row_problem(in, "unknown category %.40s in column %d: default kept", v,
                             m->category + 1);
    }
    if ((v = cell(in, m->confidence, &oom)) && rc == YJ_OK) {
        if (yj_parse_i64(v, 0, 100, &n) == 0)
            ind->confidence = (int)n;
        else
            rc = row_problem(in, "confidence %.20s in column %d is not 0..100: default kept", v,
                             m->confidence + 1);
    }
    if ((v = cell(in, m->tlp, &oom)) && rc == YJ_OK &&
        intel_tlp_parse(v, "tlp", &ind->tlp, NULL) != YJ_OK)
        rc = row_problem(in, "unknown TLP %.40s in column %d: default kept", v, m->tlp + 1);
    if ((v = cell(in, m->sightings, &oom)) && rc == YJ_OK) {
        if (yj_parse_i64(v, 1, INT64_MAX, &n) == 0)
            ind->sightings = n;
        else
            rc = row_problem(in, "sightings %.20s in column %d is not a count: default kept", v,
                             m->sightings + 1);
    }
    const struct {
        int col;
        int64_t *at;
        const char *name;
    } times[] = {{m->first_seen, &ind->first_seen, "first_seen"},
                 {m->last_seen, &ind->last_seen, "last_seen"},
                 {m->valid_until, &ind->valid_until, "valid_until"}};
    for (size_t k = 0; k < YJ_ARRAY_LEN(times); k++)
        if ((v = cell(in, times[k].col, &oom)) && rc == YJ_OK && !parse_when(v, times[k].at))
            rc = row_problem(in, "%s %.40s in column %d is not a time: ignored", times[k].name, v,
                             times[k].col + 1);
    if ((v = cell(in, m->subdomains, &oom)) && rc == YJ_OK) {
        ind->subdomains =
            strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0;
        if (!ind->subdomains && strcasecmp(v, "false") && strcmp(v, "0") && strcasecmp(v, "no"))
            rc = row_problem(in, "subdomains %.20s in column %d is not true or false", v,
                             m->subdomains + 1);
    }
    if ((v = cell(in, m->description, &oom)))
        ind->description = v;
    if ((v = cell(in, m->external_id, &oom)))
        ind->external_id = v;
    char *tags = cell(in, m->tags, &oom);
    for (char *t = tags, *end; rc == YJ_OK && t && *t; t = end) {
        end = strchr(t, m->tag_sep);
        end = end ? (*end = '\0', end + 1) : t + strlen(t);
        char *last = t + strlen(t);
        while (isspace((unsigned char)*t))
            t++;
        while (last > t && isspace((unsigned char)last[-1]))
            *--last = '\0';
        if (*t && !intel_tag_add(ind, t))
            rc = row_problem(in, "tag not imported (over %d bytes, or over %d tags): %.100s",
                             INTEL_TAG_MAX, INTEL_TAGS_MAX, t);
    }
    return oom ? yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory") : rc;
}

static enum yj_err import_row(struct row_in *in)
{
    const struct intel_csv_map *m = in->m;
    in->b->objects++;
    snprintf(in->where, sizeof in->where, "line %zu", in->r->line);
    bool oom = false;
    const char *value = cell(in, m->value, &oom), *type = cell(in, m->type, &oom);
    if (oom)
        return yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory");
    if (!value)
        return row_problem(in, "no value in column %d", m->value + 1);
    struct intel_indicator ind;
    intel_template_init(&ind, in->defaults);
    enum intel_type t;
    bool ip_shape = !type;
    struct yj_error e;
    if (type && !cell_type(type, &t, &ip_shape))
        return row_problem(in, "unknown type %.40s in column %d", type, m->type + 1);
    enum yj_err rc = ip_shape ? intel_guess(value, "value", in->a, &t, &ind.value, &e)
                              : intel_canonical(t, value, "value", in->a, &ind.value, &e);
    if (rc == YJ_OK && type && ip_shape && t != INTEL_IPV4 && t != INTEL_IPV6 && t != INTEL_CIDR4 &&
        t != INTEL_CIDR6)
        return row_problem(in, "%.40s in column %d is not an IP address or range", value,
                           m->value + 1);
    if (rc != YJ_OK)
        return e.code == YJ_ENOMEM
                   ? yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory")
                   : row_problem(in, "bad value in column %d: %s", m->value + 1, e.msg);
    ind.type = t;
    bool cat_given = false;
    rc = row_fields(in, &ind, &cat_given);
    if (rc != YJ_OK)
        return rc;
    if (t != INTEL_DOMAIN)
        ind.subdomains = false;
    if (!cat_given && ind.category == INTEL_CAT_OTHER)
        ind.category = intel_category_of_type(t);
    return intel_batch_add(in->b, in->a, &ind, in->err);
}

enum yj_err intel_csv_import(const char *text, size_t len, const struct intel_csv_map *map,
                             const struct intel_indicator *defaults, struct yj_arena *a,
                             struct intel_batch *b, struct yj_error *err)
{
    struct intel_csv_map m = *map;
    m.delimiter = m.delimiter ? m.delimiter : ',';
    m.tag_sep = m.tag_sep ? m.tag_sep : ';';
    if (m.value < 0 || m.value >= INTEL_CSV_COLS_MAX)
        return yj_error_set(err, YJ_EINVAL, "map", "no value column");
    if (m.delimiter == '"' || m.delimiter == '\n' || m.delimiter == '\r')
        return yj_error_set(err, YJ_EINVAL, "map", "unusable delimiter");
    enum yj_err rc = check_text(&text, &len, err);
    if (rc != YJ_OK)
        return rc;
    struct intel_batch saved = *b;
    struct csv *r = calloc(1, sizeof *r);
    if (!r)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    *r = (struct csv){.s = text, .len = len, .delim = m.delimiter, .a = a, .next_line = 1};
    struct row_in in = {.a = a, .b = b, .m = &m, .defaults = defaults, .r = r, .err = err};
    bool got = true, header = m.header;
    while (rc == YJ_OK && (rc = csv_next(r, &got, err)) == YJ_OK && got) {
        if (header)
            header = false;
        else if (!csv_skip(r))
            rc = import_row(&in);
    }
    free(r);
    if (rc != YJ_OK) {
        b->n = saved.n;
        b->n_problems = saved.n_problems;
        b->objects = saved.objects;
    }
    return rc;
}

/* --- plain lists ---------------------------------------------------------------------------- */

enum yj_err intel_list_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err)
{
    enum yj_err rc = check_text(&text, &len, err);
    struct intel_batch saved = *b;
    size_t line = 0;
    for (size_t i = 0; rc == YJ_OK && i < len; line++) {
        const char *p = text + i, *nl = memchr(p, '\n', len - i);
        size_t n = nl ? (size_t)(nl - p) : len - i;
        i += n + (nl != NULL);
        while (n && isspace((unsigned char)*p))
            p++, n--;
        for (size_t k = 1; k < n; k++) /* "value  # why" */
            if ((p[k] == '#' || p[k] == ';') && isspace((unsigned char)p[k - 1])) {
                n = k;
                break;
            }
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n == 0 || p[0] == '#' || p[0] == ';')
            continue;
        b->objects++;
        char where[32];
        snprintf(where, sizeof where, "line %zu", line + 1);
        char *raw = yj_arena_strndup(a, p, n);
        struct intel_indicator ind;
        intel_template_init(&ind, defaults);
        struct yj_error e;
        if (!raw) {
            rc = yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        } else if (intel_guess(raw, "value", a, &ind.type, &ind.value, &e) != YJ_OK) {
            rc = e.code == YJ_ENOMEM ? yj_error_set(err, YJ_ENOMEM, NULL, "out of memory")
                                     : intel_batch_problem(b, a, where, NULL, e.msg, err);
        } else {
            if (ind.category == INTEL_CAT_OTHER)
                ind.category = intel_category_of_type(ind.type);
            ind.subdomains = ind.subdomains && ind.type == INTEL_DOMAIN;
            rc = intel_batch_add(b, a, &ind, err);
        }
    }
    if (rc != YJ_OK) {
        b->n = saved.n;
        b->n_problems = saved.n_problems;
        b->objects = saved.objects;
    }
    return rc;
}

/* --- export ------------------------------------------------------------------------------ */

/* One field, quoted when RFC 4180 needs it or when reading it back unquoted would change it
 * (leading '#' is a comment, outer spaces are trimmed). */
static enum yj_err put_field(struct yj_buf *o, const char *s, bool last)
{
    size_t n = strlen(s);
    bool quote =
        strpbrk(s, ",\"\r\n") ||
        (n && (s[0] == '#' || isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1])));
    enum yj_err rc = quote ? yj_buf_puts(o, "\"") : YJ_OK;
    for (const char *p = s; rc == YJ_OK && quote && *p; p++) {
        rc = yj_buf_append(o, p, 1);
        if (rc == YJ_OK && *p == '"') /* a quote is doubled */
            rc = yj_buf_puts(o, "\"");
    }
    if (rc == YJ_OK && !quote)
        rc = yj_buf_append(o, s, n);
    if (rc == YJ_OK && quote)
        rc = yj_buf_puts(o, "\"");
    return rc == YJ_OK ? yj_buf_puts(o, last ? "\r\n" : ",") : rc;
}

static const char *time_text(struct yj_arena *a, int64_t ms)
{
    if (!ms)
        return "";
    char *ts = yj_arena_alloc(a, YJ_TIME_STRLEN);
    if (ts)
        yj_time_format(ms, ts);
    return ts;
}

static enum yj_err put_row(struct yj_buf *o, struct yj_arena *a, const struct intel_indicator *ind)
{
    struct yj_buf tags;
    yj_buf_init(&tags, INTEL_TAGS_MAX * (INTEL_TAG_MAX + 1) + 1);
    for (size_t k = 0; k < ind->n_tags; k++)
        yj_buf_printf(&tags, "%s%s", k ? ";" : "", ind->tags[k]);
    const char *cols[] = {
        intel_type_code(ind->type),
        ind->value,
        intel_category_code(ind->category),
        yj_arena_printf(a, "%d", ind->confidence),
        intel_tlp_code(ind->tlp),
        yj_arena_printf(a, "%lld", (long long)ind->sightings),
        yj_arena_strdup(a, tags.ptr ? tags.ptr : ""),
        time_text(a, ind->first_seen),
        time_text(a, ind->last_seen),
        time_text(a, ind->valid_until),
        ind->subdomains ? "true" : "false",
        ind->description ? ind->description : "",
        ind->external_id ? ind->external_id : "",
    };
    yj_buf_release(&tags);
    enum yj_err rc = YJ_OK;
    for (size_t k = 0; rc == YJ_OK && k < YJ_ARRAY_LEN(cols); k++)
        rc = cols[k] ? put_field(o, cols[k], k + 1 == YJ_ARRAY_LEN(cols)) : YJ_ENOMEM;
    return rc;
}

enum yj_err intel_csv_export(const struct intel_indicator *items, size_t n, struct yj_buf *out,
                             struct yj_error *err)
{
    size_t len0 = out->len;
    enum yj_err rc = yj_buf_puts(out, "type,value,category,confidence,tlp,sightings,tags,"
                                      "first_seen,last_seen,valid_until,subdomains,"
                                      "description,external_id\r\n");
    struct yj_arena a;
    yj_arena_init(&a, 0);
    for (size_t i = 0; rc == YJ_OK && i < n; i++) {
        const struct intel_indicator *ind = &items[i];
        bool bad = !ind->value || (unsigned)ind->type >= INTEL_TYPE__COUNT;
        for (size_t k = 0; !bad && k < ind->n_tags; k++)
            bad = strchr(ind->tags[k], ';') != NULL;
        if (bad) {
            char field[32];
            snprintf(field, sizeof field, "items[%zu]", i);
            rc = yj_error_set(err, YJ_EINVAL, field,
                              "an indicator without a value, or with a tag holding ';'");
            break;
        }
        rc = put_row(out, &a, ind);
        yj_arena_release(&a);
    }
    yj_arena_release(&a);
    if (rc != YJ_OK && rc != YJ_EINVAL)
        yj_error_set(err, rc, NULL,
                     rc == YJ_ETOOBIG ? "export over its size limit" : "out of memory");
    if (rc != YJ_OK && out->ptr) {
        out->len = len0;
        out->ptr[len0] = '\0';
    }
    return rc;
}
