/*
 * fuzz_validators.c - the format checks that see user text: credit code,
 * mobile and office phone, e-mail, province, reference codes, strict integer
 * parsing, the UTF-8 text check (against jansson's as a second opinion),
 * base64url decoding, and the cookie/CSRF comparisons of auth/session.c.
 * The input is one string; for the CSRF check it is "session-id\ntoken".
 */
#include <jansson.h>

#include "auth/auth.h"
#include "core/yj.h"
#include "fuzz.h"
#include "units/units.h"

static void check_credit_code(const char *s)
{
    struct yj_error err;
    enum yj_err rc = unit_credit_code_check(s, &err);
    if (rc == YJ_OK) {
        FUZZ_CHECK(strlen(s) == 18);
        FUZZ_CHECK(unit_credit_code_check_char(s) == s[17]);
    } else {
        FUZZ_CHECK(rc == YJ_EINVAL && err.code == YJ_EINVAL);
        FUZZ_CHECK(strcmp(err.field, "credit_code") == 0 && err.msg[0] != '\0');
    }
    /* Any 17 code characters with a numeric division code, completed by their check
     * character, form a valid code. */
    char c = unit_credit_code_check_char(s);
    if (c) {
        FUZZ_CHECK(strlen(s) >= 17);
        char code[19];
        memcpy(code, s, 17);
        code[17] = c;
        code[18] = '\0';
        bool division = true;
        for (int i = 2; i < 8; i++)
            division = division && code[i] >= '0' && code[i] <= '9';
        FUZZ_CHECK((unit_credit_code_check(code, NULL) == YJ_OK) == division);
    }
}

static void check_contact_formats(const char *s)
{
    size_t n = strlen(s);
    if (unit_mobile_valid(s))
        FUZZ_CHECK(n >= 11 && n <= 15);
    if (unit_phone_valid(s))
        FUZZ_CHECK(n <= 40);
    if (unit_email_valid(s)) {
        const char *at = strchr(s, '@');
        FUZZ_CHECK(n <= 254 && at && at != s && !strchr(at + 1, '@'));
    }
    if (unit_province_valid(s))
        FUZZ_CHECK(yj_utf8_text_ok(s, n));
    enum unit_contact_role r;
    if (unit_contact_role_parse(s, &r) == 0)
        FUZZ_CHECK(strcmp(unit_contact_role_code(r), s) == 0);
    enum auth_role ar;
    if (auth_role_parse(s, &ar) == 0)
        FUZZ_CHECK(strcmp(auth_role_code(ar), s) == 0);
    (void)unit_capability_field_known(s);
}

/* s without a leading zero run ("-007" -> "-7", "-0" -> "0"): how %lld would print it. */
static void canonical_int(const char *s, char *out, size_t cap)
{
    bool neg = *s == '-';
    const char *p = s + neg;
    while (p[0] == '0' && p[1] != '\0')
        p++;
    snprintf(out, cap, "%s%s", neg && strcmp(p, "0") != 0 ? "-" : "", p);
}

static void check_parse_i64(const char *s)
{
    static const struct {
        int64_t min, max;
    } ranges[] = {{INT64_MIN, INT64_MAX}, {1, INT64_MAX}, {1, 200}, {-5, 5}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(ranges); i++) {
        int64_t v = 12345;
        if (yj_parse_i64(s, ranges[i].min, ranges[i].max, &v) != 0) {
            FUZZ_CHECK(v == 12345); /* untouched on failure */
            continue;
        }
        FUZZ_CHECK(v >= ranges[i].min && v <= ranges[i].max);
        char printed[32], canon[64];
        snprintf(printed, sizeof printed, "%lld", (long long)v);
        if (strlen(s) < sizeof canon) {
            canonical_int(s, canon, sizeof canon);
            FUZZ_CHECK(strcmp(printed, canon) == 0);
        }
    }
}

/* yj_utf8_text_ok is jansson's UTF-8 check minus NUL and control characters. */
static void check_utf8(const uint8_t *data, size_t size)
{
    int ok = yj_utf8_text_ok((const char *)data, size);
    bool controls = false;
    for (size_t i = 0; i < size; i++)
        if ((data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r') ||
            data[i] == 0x7f)
            controls = true;
    json_t *j = json_stringn((const char *)data, size);
    FUZZ_CHECK(ok == (j != NULL && !controls));
    json_decref(j);
    if (ok) {
        char *s = fuzz_strndup(data, size);
        FUZZ_CHECK(yj_utf8_chars(s) <= size);
        free(s);
    }
}

static void check_b64url(const char *s, size_t max)
{
    unsigned char *out = malloc(max ? max : 1); /* exactly max bytes: ASan sees overruns */
    FUZZ_CHECK(out != NULL);
    long n = yj_b64url_decode(s, out, max);
    FUZZ_CHECK(n >= -1);
    if (n >= 0) {
        FUZZ_CHECK((size_t)n <= max);
        /* Decoding is strict, so the input is the canonical encoding of its bytes. */
        size_t cap = yj_b64url_len((size_t)n);
        char *again = malloc(cap);
        FUZZ_CHECK(again != NULL);
        yj_b64url(out, (size_t)n, again);
        FUZZ_CHECK(strcmp(again, s) == 0);
        free(again);
    }
    free(out);
}

static void check_csrf(char *s)
{
    struct auth_ctx ac;
    memset(&ac, 0, sizeof ac);
    memset(ac.csrf_key, 0x5a, sizeof ac.csrf_key);
    char *nl = strchr(s, '\n');
    const char *sid = s, *token = s;
    if (nl) {
        *nl = '\0';
        token = nl + 1;
    }
    char want[AUTH_SECRET_LEN + 1];
    auth_csrf_token(&ac, sid, want);
    FUZZ_CHECK(strlen(want) == AUTH_SECRET_LEN);
    FUZZ_CHECK(auth_csrf_ok(&ac, sid, want) == 1);
    FUZZ_CHECK(auth_csrf_ok(&ac, sid, token) == (strcmp(want, token) == 0));
    FUZZ_CHECK(auth_csrf_ok(&ac, NULL, token) == 0);
    FUZZ_CHECK(auth_csrf_ok(&ac, sid, NULL) == 0);
    char hash[65];
    auth_secret_hash(token, hash);
    FUZZ_CHECK(strlen(hash) == 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    check_credit_code(s);
    check_contact_formats(s);
    check_parse_i64(s);
    check_utf8(data, size);
    check_b64url(s, 32);
    check_b64url(s, size);
    check_csrf(s); /* last: it splits s */
    free(s);
    return 0;
}
