/*
 * certs.c - the pure rules of certificates: statuses and their transitions,
 * expiry at the end of valid_to in China Standard Time, ban periods, and
 * certificate numbers from patterns. No store, no JSON.
 */
#include "certs/certs.h"

#include "core/yj.h"

static const struct {
    const char *code, *zh;
} statuses[CERT_STATUS__COUNT] = {
    [CERT_VALID] = {"valid", "有效"},         [CERT_SUSPENDED] = {"suspended", "暂停"},
    [CERT_CANCELLED] = {"cancelled", "注销"}, [CERT_REVOKED] = {"revoked", "撤销"},
    [CERT_EXPIRED] = {"expired", "过期"},
};

const char *cert_status_code(enum cert_status s)
{
    return (unsigned)s < CERT_STATUS__COUNT ? statuses[s].code : "unknown";
}

const char *cert_status_name_zh(enum cert_status s)
{
    return (unsigned)s < CERT_STATUS__COUNT ? statuses[s].zh : "未知";
}

int cert_status_parse(const char *code, enum cert_status *out)
{
    for (int i = 0; code && i < CERT_STATUS__COUNT; i++)
        if (strcmp(code, statuses[i].code) == 0) {
            *out = (enum cert_status)i;
            return 0;
        }
    return -1;
}

bool cert_status_final(enum cert_status s)
{
    return s == CERT_CANCELLED || s == CERT_REVOKED || s == CERT_EXPIRED;
}

bool cert_transition_allowed(enum cert_status from, enum cert_status to)
{
    /* Rows: from; columns: to (valid, suspended, cancelled, revoked, expired). */
    static const bool allowed[CERT_STATUS__COUNT][CERT_STATUS__COUNT] = {
        [CERT_VALID] = {false, true, true, true, true},
        [CERT_SUSPENDED] = {true, false, true, true, true},
        /* cancelled, revoked, expired: all false */
    };
    if ((unsigned)from >= CERT_STATUS__COUNT || (unsigned)to >= CERT_STATUS__COUNT)
        return false;
    return allowed[from][to];
}

enum { DAY_MS = 86400000, CST_OFFSET_MS = 8 * 3600000 };

int64_t cert_expiry_ms(const char *valid_to)
{
    int y, m, d;
    if (yj_date_parse(valid_to, &y, &m, &d) != 0)
        return -1;
    /* 00:00 CST of the next day is 16:00 UTC of valid_to itself. */
    return (yj_days_from_civil(y, m, d) + 1) * DAY_MS - CST_OFFSET_MS;
}

enum cert_status cert_status_at(enum cert_status stored, const char *valid_to, int64_t now)
{
    if (stored != CERT_VALID && stored != CERT_SUSPENDED)
        return stored;
    /* -1 (malformed) is never a real expiry instant, which is always a whole hour. */
    int64_t end = cert_expiry_ms(valid_to);
    return end != -1 && now >= end ? CERT_EXPIRED : stored;
}

int cert_ban_ends_on(const char *starts_on, int years, char out[11])
{
    int y, m, d;
    if (yj_date_parse(starts_on, &y, &m, &d) != 0 || years < 1 || years > 100 || y + years > 9999)
        return -1;
    y += years;
    while (!yj_date_valid(y, m, d))
        d--; /* 29 February in a common year: the month's last day */
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 11);
    return 0;
}

/* --- numbers ------------------------------------------------------------------------- */

/* One piece of a parsed pattern. */
struct piece {
    enum { LITERAL, YEAR, SEQ } kind;
    const char *text; /* LITERAL: into the pattern */
    size_t len;       /* LITERAL: bytes; SEQ: digits */
};

enum { PIECES_MAX = CERT_NUMBER_MAX };

static bool literal_ok(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           strchr("-_.()[]", c) != NULL || c >= 0x80;
}

/* Splits pattern into pieces; YJ_EINVAL (field number_pattern) when it is not a pattern. */
static enum yj_err parse_pattern(const char *pattern, struct piece *pieces, size_t *n,
                                 struct yj_error *err)
{
    static const char field[] = "number_pattern";
    if (!pattern || !*pattern)
        return yj_error_set(err, YJ_EINVAL, field, "required");
    size_t len = strlen(pattern);
    if (len > CERT_NUMBER_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "longer than %d bytes", CERT_NUMBER_MAX);
    if (!yj_utf8_text_ok(pattern, len))
        return yj_error_set(err, YJ_EINVAL, field, "not valid UTF-8 text");
    size_t count = 0, seqs = 0;
    const char *p = pattern;
    while (*p) {
        struct piece *pc = &pieces[count++];
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close)
                return yj_error_set(err, YJ_EINVAL, field, "a '{' without its '}'");
            size_t tl = (size_t)(close - p - 1);
            if (tl == 4 && strncmp(p + 1, "YYYY", 4) == 0) {
                pc->kind = YEAR;
            } else if (tl >= 1 && strspn(p + 1, "N") == tl) {
                if (tl > CERT_SEQ_DIGITS_MAX)
                    return yj_error_set(err, YJ_EINVAL, field,
                                        "a sequence token of more than %d digits",
                                        CERT_SEQ_DIGITS_MAX);
                pc->kind = SEQ;
                pc->len = tl;
                seqs++;
            } else {
                return yj_error_set(err, YJ_EINVAL, field,
                                    "unknown token {%.*s}; use {YYYY} and {NNN}", (int)tl, p + 1);
            }
            p = close + 1;
            continue;
        }
        if (*p == '}')
            return yj_error_set(err, YJ_EINVAL, field, "a '}' without its '{'");
        pc->kind = LITERAL;
        pc->text = p;
        while (*p && *p != '{' && *p != '}') {
            unsigned char c = (unsigned char)*p;
            if (!literal_ok(c))
                return c < 0x20 || c == 0x7f
                           ? yj_error_set(err, YJ_EINVAL, field, "a control character")
                           : yj_error_set(err, YJ_EINVAL, field,
                                          "'%c' is not allowed in a certificate number", c);
            p++;
        }
        pc->len = (size_t)(p - pc->text);
    }
    if (seqs != 1)
        return yj_error_set(err, YJ_EINVAL, field,
                            seqs ? "more than one sequence token" : "no sequence token like {NNN}");
    *n = count;
    return YJ_OK;
}

enum yj_err cert_number_pattern_check(const char *pattern, struct yj_error *err)
{
    struct piece pieces[PIECES_MAX];
    size_t n;
    return parse_pattern(pattern, pieces, &n, err);
}

/* Formats pieces into out; stops before the sequence token when prefix_only. */
static enum yj_err format(const char *pattern, int year, int64_t seq, bool prefix_only, char *out,
                          size_t n, struct yj_error *err)
{
    if (n > 0)
        out[0] = '\0';
    struct piece pieces[PIECES_MAX];
    size_t count;
    enum yj_err rc = parse_pattern(pattern, pieces, &count, err);
    if (rc)
        return rc;
    if (year < 1000 || year > 9999)
        return yj_error_set(err, YJ_EINVAL, "year", "must be from 1000 to 9999");
    struct yj_buf b;
    yj_buf_init(&b, n > 0 ? n - 1 : 0);
    for (size_t i = 0; !rc && i < count; i++) {
        const struct piece *pc = &pieces[i];
        if (pc->kind == LITERAL) {
            rc = yj_buf_append(&b, pc->text, pc->len);
        } else if (pc->kind == YEAR) {
            rc = yj_buf_printf(&b, "%04d", year);
        } else if (prefix_only) {
            break;
        } else {
            int64_t limit = 1;
            for (size_t k = 0; k < pc->len; k++)
                limit *= 10;
            if (seq < 1 || seq >= limit) {
                yj_buf_release(&b);
                return yj_error_set(err, YJ_EINVAL, "number_pattern",
                                    "sequence %lld does not fit %zu digits", (long long)seq,
                                    pc->len);
            }
            rc = yj_buf_printf(&b, "%0*lld", (int)pc->len, (long long)seq);
        }
    }
    if (!rc && n > 0)
        memcpy(out, b.ptr ? b.ptr : "", b.len + 1);
    yj_buf_release(&b);
    if (rc == YJ_ETOOBIG)
        return yj_error_set(err, YJ_ETOOBIG, "number_pattern", "the number is too long");
    if (rc)
        return yj_error_set(err, rc, NULL, "out of memory");
    return YJ_OK;
}

enum yj_err cert_number_format(const char *pattern, int year, int64_t seq, char *out, size_t n,
                               struct yj_error *err)
{
    return format(pattern, year, seq, false, out, n, err);
}

enum yj_err cert_number_prefix(const char *pattern, int year, char *out, size_t n,
                               struct yj_error *err)
{
    return format(pattern, year, 1, true, out, n, err);
}

int cert_number_sequence(const char *pattern, int year, const char *number, int64_t *seq)
{
    struct piece pieces[PIECES_MAX];
    size_t count;
    if (!number || parse_pattern(pattern, pieces, &count, NULL) || year < 1000 || year > 9999)
        return -1;
    char y[8];
    snprintf(y, sizeof y, "%04d", year);
    const char *p = number;
    int64_t v = -1;
    for (size_t i = 0; i < count; i++) {
        const struct piece *pc = &pieces[i];
        if (pc->kind == LITERAL || pc->kind == YEAR) {
            const char *want = pc->kind == LITERAL ? pc->text : y;
            size_t len = pc->kind == LITERAL ? pc->len : 4;
            if (strncmp(p, want, len) != 0)
                return -1;
            p += len;
            continue;
        }
        v = 0;
        for (size_t k = 0; k < pc->len; k++, p++) {
            if (*p < '0' || *p > '9')
                return -1;
            v = v * 10 + (*p - '0');
        }
    }
    if (*p || v < 1)
        return -1;
    *seq = v;
    return 0;
}

/* --- change reports ---------------------------------------------------------------------- */

static const char *const change_kinds[CERT_CHANGE__COUNT] = {
    [CERT_CHANGE_OWNERSHIP] = "ownership",
    [CERT_CHANGE_LEGAL_REPRESENTATIVE] = "legal_representative",
};

const char *cert_change_kind_code(enum cert_change_kind k)
{
    return (unsigned)k < CERT_CHANGE__COUNT ? change_kinds[k] : "unknown";
}

int cert_change_kind_parse(const char *code, enum cert_change_kind *out)
{
    for (int i = 0; code && i < CERT_CHANGE__COUNT; i++)
        if (strcmp(code, change_kinds[i]) == 0) {
            *out = (enum cert_change_kind)i;
            return 0;
        }
    return -1;
}
