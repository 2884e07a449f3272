/*
 * test_stix.c - STIX 2.1 import and export: every bundle of ../shared/corpora/stix21
 * with its object, indicator and problem counts; the pattern parser on the
 * comparisons feeds use and on what it must report instead of importing;
 * malformed files refused with their position and nothing imported; TLP markings;
 * and export -> import giving the same indicators, byte-stable on re-export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "intel_fixture.h"
#include "core/yj.h"
#include "intel/intel.h"
#include "intel/intel_exchange.h"
#include "intel/intel_stix.h"

/* A corpus file's bytes (malloc'd, NUL-terminated; the caller frees them). */
static char *corpus(const char *name, size_t *n)
{
    const char *dir = getenv("YINGJI_CORPORA");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/stix21/%s", dir, name);
    return fx_read_file(path, n);
}

static void import_text(const char *text, size_t n, struct intel_batch *b)
{
    struct yj_error e = {0};
    intel_batch_init(b);
    if (intel_stix_import(text, n, NULL, &arena, b, &e) != YJ_OK)
        fail_msg("import refused: %s: %s", e.field, e.msg);
}

static void import_corpus(const char *name, struct intel_batch *b)
{
    size_t n;
    char *text = corpus(name, &n);
    import_text(text, n, b);
    free(text);
}

static long problem_with(const struct intel_batch *b, const char *part)
{
    return fx_problem_with(b, part, false);
}

static void expect_problem(const struct intel_batch *b, const char *part)
{
    fx_expect_problem(b, part, false);
}

/* --- the corpus ---------------------------------------------------------------------------- */

static void test_corpus_counts(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t objects, indicators, problems;
    } files[] = {
        /* 10 of 12 indicators: two are x509-certificate issuer AND serial; eight other types */
        {"apt1.json", 76, 10, 2 + 8},
        {"indicator-for-c2-ip-address.json", 1, 1, 0},
        {"indicator-to-campaign-relationship.json", 3, 1, 2},
        {"indicators-for-C2-with-COA.json", 8, 2, 4},
        /* two SCOs (an IPv4 address, a domain); infrastructure, relationship, malware */
        {"infrastructure.json", 10, 2, 3},
        /* both patterns are email-message MATCHES; identity, attack-pattern, relationship */
        {"malicious-email-indicator-with-attachment.json", 6, 0, 2 + 3},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(files); i++) {
        struct intel_batch b;
        import_corpus(files[i].file, &b);
        if (b.objects != files[i].objects || b.n != files[i].indicators ||
            b.n_problems != files[i].problems) {
            for (size_t k = 0; k < b.n_problems; k++)
                print_message("  %s: %s\n", b.problems[k].where, b.problems[k].reason);
            fail_msg("%s: %zu objects, %zu indicators, %zu problems; want %zu, %zu, %zu",
                     files[i].file, b.objects, b.n, b.n_problems, files[i].objects,
                     files[i].indicators, files[i].problems);
        }
    }
}

static void test_corpus_apt1(void **state)
{
    (void)state;
    struct intel_batch b;
    import_corpus("apt1.json", &b);
    static const struct {
        enum intel_type t;
        const char *v;
    } want[] = {
        {INTEL_CIDR4, "223.166.0.0/15"},
        {INTEL_CIDR4, "58.246.0.0/15"},
        {INTEL_CIDR4, "112.64.0.0/15"},
        {INTEL_CIDR4, "139.226.0.0/15"},
        {INTEL_DOMAIN, "hugesoft.org"},
        {INTEL_DOMAIN, "arrowservice.net"},
        {INTEL_DOMAIN, "msnhome.org"},
        {INTEL_MD5, "001dd76872d80801692ff942308c64e6"},
        {INTEL_MD5, "002325a0a67fded0381b5648d7fe9b8e"},
        {INTEL_MD5, "00dbb9e1c09dbdafb360f3163ba5a3de"},
    };
    assert_int_equal(b.n, YJ_ARRAY_LEN(want));
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.items[i].type, want[i].t);
        assert_string_equal(b.items[i].value, want[i].v);
        assert_int_equal(b.items[i].tlp, INTEL_TLP_AMBER); /* unmarked: the default */
        assert_int_equal(b.items[i].n_tags, 0);            /* malicious-activity is no tag */
        assert_int_equal(b.items[i].sightings, 1);
        assert_non_null(b.items[i].external_id);
        assert_true(strncmp(b.items[i].external_id, "indicator--", 11) == 0);
    }
    const struct intel_indicator *cidr = &b.items[0];
    assert_int_equal(cidr->category, INTEL_CAT_MALICIOUS_IP);
    assert_string_equal(cidr->external_id, "indicator--031778a4-057f-48e6-9db9-c8d72b81ccd5");
    assert_string_equal(cidr->description, "Test description.");
    int64_t want_seen;
    assert_int_equal(yj_time_parse("2015-05-15T09:12:16.432Z", &want_seen), 0);
    assert_int_equal(cidr->first_seen, want_seen); /* valid_from, to the millisecond */
    assert_int_equal(b.items[4].category, INTEL_CAT_MALICIOUS_DOMAIN);
    assert_int_equal(b.items[9].category, INTEL_CAT_MALWARE);

    /* the unsupported pattern part is named, with the object it belongs to */
    long x = problem_with(&b, "unsupported comparison: x509-certificate:issuer = 'CN=WEBMAIL'");
    assert_true(x >= 0);
    assert_non_null(b.problems[x].object);
    assert_true(strncmp(b.problems[x].object, "indicator--", 11) == 0);
    assert_true(strncmp(b.problems[x].where, "objects[", 8) == 0);
    /* the README's 12 indicators: 10 imported, 2 reported (x509 issuer AND serial) */
    size_t reported = 0;
    for (size_t i = 0; i < b.n_problems; i++)
        reported += b.problems[i].object && strncmp(b.problems[i].object, "indicator--", 11) == 0;
    assert_int_equal(b.n + reported, 12);
    expect_problem(&b, "relationship: not an indicator (30 objects)");
    expect_problem(&b, "tool: not an indicator (10 objects)");
    expect_problem(&b, "report: not an indicator (1 object)");
}

static void test_corpus_scos_and_email(void **state)
{
    (void)state;
    struct intel_batch b;
    import_corpus("infrastructure.json", &b);
    assert_int_equal(b.items[0].type, INTEL_IPV4);
    assert_string_equal(b.items[0].value, "198.51.100.3");
    assert_string_equal(b.items[0].external_id, "ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956");
    assert_int_equal(b.items[0].category, INTEL_CAT_MALICIOUS_IP);
    assert_int_equal(b.items[1].type, INTEL_DOMAIN);
    assert_string_equal(b.items[1].value, "example.com");
    expect_problem(&b, "infrastructure: not an indicator (2 objects)");

    import_corpus("malicious-email-indicator-with-attachment.json", &b);
    expect_problem(&b, "unsupported comparison: email-message:subject MATCHES");
    expect_problem(&b, "unsupported comparison: email-message:body_multipart[*].body_raw_ref.name");

    import_corpus("indicators-for-C2-with-COA.json", &b);
    assert_int_equal(b.items[1].type, INTEL_SHA256);
    assert_string_equal(b.items[1].value,
                        "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
    assert_int_equal(b.items[1].category, INTEL_CAT_MALWARE);
}

/* --- malformed files ------------------------------------------------------------------------ */

/* text is refused naming "file" with msg_part in the message, and b is left as it was. */
static void expect_refused(const char *text, size_t n, const char *msg_part)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct intel_indicator before = {.type = INTEL_IPV4, .value = "192.0.2.1", .sightings = 1};
    struct yj_error e = {0};
    assert_int_equal(intel_batch_add(&b, &arena, &before, &e), YJ_OK);
    b.objects = 1;
    enum yj_err rc = intel_stix_import(text, n, NULL, &arena, &b, &e);
    assert_int_equal(rc, YJ_EINVAL);
    assert_string_equal(e.field, "file");
    if (!strstr(e.msg, msg_part))
        fail_msg("refused with \"%s\", want \"%s\"", e.msg, msg_part);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.n_problems, 0);
    assert_int_equal(b.objects, 1);
    assert_string_equal(b.items[0].value, "192.0.2.1");
}

static void refused_str(const char *text, const char *msg_part)
{
    expect_refused(text, strlen(text), msg_part);
}

static void test_malformed(void **state)
{
    (void)state;
    refused_str("not json at all", "malformed JSON at line 1, column 3");
    refused_str("{\"type\": \"bundle\",\n \"objects\": [}", "at line 2");
    refused_str("", "line");
    refused_str("[1, 2]", "not a STIX bundle");
    refused_str("{\"type\": \"bundle\", \"objects\": {}}", "objects is no array");
    refused_str("{\"type\": \"bundle\", \"type\": \"x\"}", "duplicate key");
    refused_str("{\"type\": \"bundle\", \"objects\": [\"\xff\"]}", "invalid UTF-8");

    size_t n;
    char *text = corpus("interop-objectmarking-test.json", &n);
    expect_refused(text, n, "not a STIX bundle (type campaign)");
    free(text);

    text = corpus("apt1.json", &n); /* cut in the middle: nothing of it is imported */
    expect_refused(text, n / 2, "truncated JSON at line");
    free(text);

    char deep[200];
    size_t d = 0;
    d += (size_t)snprintf(deep, sizeof deep, "{\"type\":\"bundle\",\"objects\":");
    for (int i = 0; i < 64; i++)
        deep[d++] = '[';
    expect_refused(deep, d, "nested deeper than 64 at line 1, column 91");
}

/* --- patterns ------------------------------------------------------------------------------ */

static struct intel_batch pattern(const char *p)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct intel_indicator t;
    intel_template_init(&t, NULL);
    struct yj_error e = {0};
    assert_int_equal(intel_stix_pattern_import(p, &t, "objects[0]", "indicator--x", &arena, &b, &e),
                     YJ_OK);
    for (size_t i = 0; i < b.n_problems; i++) {
        assert_string_equal(b.problems[i].where, "objects[0]");
        assert_string_equal(b.problems[i].object, "indicator--x");
    }
    return b;
}

/* p yields exactly the values of want ("type:value" each, NULL-terminated) and n problems. */
static void expect_pattern(const char *p, size_t n_problems, ...)
{
    struct intel_batch b = pattern(p);
    va_list ap;
    va_start(ap, n_problems);
    size_t i = 0;
    for (const char *w; (w = va_arg(ap, const char *)) != NULL; i++) {
        if (i >= b.n)
            fail_msg("%s: only %zu values, want %s", p, b.n, w);
        char got[INTEL_VALUE_MAX + 16];
        snprintf(got, sizeof got, "%s:%s%s", intel_type_code(b.items[i].type), b.items[i].value,
                 b.items[i].subdomains ? "+sub" : "");
        if (strcmp(got, w) != 0)
            fail_msg("%s: value %zu is %s, want %s", p, i, got, w);
    }
    va_end(ap);
    if (i != b.n || b.n_problems != n_problems) {
        for (size_t k = 0; k < b.n_problems; k++)
            print_message("  problem: %s\n", b.problems[k].reason);
        fail_msg("%s: %zu values, %zu problems; want %zu, %zu", p, b.n, b.n_problems, i,
                 n_problems);
    }
}

static void expect_pattern_problem(const char *p, const char *part)
{
    struct intel_batch b = pattern(p);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.n_problems, 1);
    if (!strstr(b.problems[0].reason, part))
        fail_msg("%s: problem \"%s\", want \"%s\"", p, b.problems[0].reason, part);
}

static void test_pattern_values(void **state)
{
    (void)state;
    expect_pattern("[ipv4-addr:value = '198.51.100.1']", 0, "ipv4:198.51.100.1", NULL);
    expect_pattern("[ipv6-addr:value = '2001:DB8:0:0::1']", 0, "ipv6:2001:db8::1", NULL);
    expect_pattern("[ipv4-addr:value = '10.1.2.3/8']", 0, "cidr4:10.0.0.0/8", NULL);
    expect_pattern("[ipv4-addr:value ISSUBSET '10.0.0.0/8']", 0, "cidr4:10.0.0.0/8", NULL);
    expect_pattern("[ipv6-addr:value ISSUBSET '2001:db8::/32']", 0, "cidr6:2001:db8::/32", NULL);
    expect_pattern("[domain-name:value = 'Evil.Example.COM.']", 0, "domain:evil.example.com", NULL);
    expect_pattern("[url:value = 'HTTP://Evil.example.com:80/a?b=c']", 0,
                   "url:http://evil.example.com/a?b=c", NULL);
    expect_pattern("[email-addr:value = 'Bad@Example.com']", 0, "email:Bad@example.com", NULL);
    expect_pattern("[email-message:from_ref.value = 'a@example.com']", 0, "email:a@example.com",
                   NULL);
    expect_pattern("[file:hashes.'SHA-256' = "
                   "'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']",
                   0, "sha256:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c",
                   NULL);
    expect_pattern("[file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']", 0,
                   "md5:001dd76872d80801692ff942308c64e6", NULL);
    expect_pattern("[file:hashes.md5 = '001dd76872d80801692ff942308c64e6']", 0,
                   "md5:001dd76872d80801692ff942308c64e6", NULL);
    expect_pattern("[file:hashes.'SHA-1' = '2920d5e6c579fce772e5506caf03af65579088bd']", 0,
                   "sha1:2920d5e6c579fce772e5506caf03af65579088bd", NULL);
    expect_pattern("[file:hashes.SHA1 = '2920d5e6c579fce772e5506caf03af65579088bd']", 0,
                   "sha1:2920d5e6c579fce772e5506caf03af65579088bd", NULL);
    /* string escapes */
    expect_pattern("[url:value = 'http://example.com/it\\'s\\\\x']", 0,
                   "url:http://example.com/it's\\x", NULL);
    /* whitespace anywhere between tokens, keywords in any case */
    expect_pattern("  [ ipv4-addr:value='10.0.0.1'  or ipv4-addr:value  =  '10.0.0.2' ]  ", 0,
                   "ipv4:10.0.0.1", "ipv4:10.0.0.2", NULL);
}

static void test_pattern_or_and(void **state)
{
    (void)state;
    /* OR: one indicator per value, inside and across observations */
    expect_pattern("[ipv4-addr:value = '10.0.0.1' OR domain-name:value = 'a.example']", 0,
                   "ipv4:10.0.0.1", "domain:a.example", NULL);
    expect_pattern("[ipv4-addr:value = '10.0.0.1'] OR [url:value = 'http://a.example/x'] OR "
                   "([domain-name:value = 'b.example'])",
                   0, "ipv4:10.0.0.1", "url:http://a.example/x", "domain:b.example", NULL);
    expect_pattern("[ipv4-addr:value IN ('10.0.0.1', '10.0.0.2', '10.0.0.1')]", 0, "ipv4:10.0.0.1",
                   "ipv4:10.0.0.2", NULL);
    /* AND of one object: the values that identify it */
    expect_pattern("[file:hashes.MD5 = '001dd76872d80801692ff942308c64e6' AND "
                   "file:hashes.'SHA-1' = '2920d5e6c579fce772e5506caf03af65579088bd']",
                   0, "md5:001dd76872d80801692ff942308c64e6",
                   "sha1:2920d5e6c579fce772e5506caf03af65579088bd", NULL);
    /* another property next to a hash: the hash, the property reported */
    expect_pattern("[file:name = 'x.exe' AND file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']",
                   1, "md5:001dd76872d80801692ff942308c64e6", NULL);
    struct intel_batch b =
        pattern("[file:name = 'x.exe' AND file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']");
    assert_string_equal(b.problems[0].reason,
                        "not imported: file:name = 'x.exe' (the hash identifies the file)");
    /* AND of different objects: nothing, reported */
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1' AND domain-name:value = 'a.example']",
                           "AND of different objects (ipv4-addr, domain-name): ipv4-addr:value "
                           "= '10.0.0.1' AND domain-name:value = 'a.example'");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] AND [url:value = 'http://a.example/']",
                           "AND of different objects");
    /* a subdomain wildcard merges with its domain */
    expect_pattern("[domain-name:value = 'a.example' OR domain-name:value LIKE '%.a.example']", 0,
                   "domain:a.example+sub", NULL);
    /* a bad side of an OR is reported, the other kept */
    expect_pattern("[ipv4-addr:value = '10.0.0.1' OR process:name = 'evil.exe']", 1,
                   "ipv4:10.0.0.1", NULL);
    expect_pattern("[ipv4-addr:value = '999.0.0.1' OR ipv4-addr:value = '10.0.0.1']", 1,
                   "ipv4:10.0.0.1", NULL);
    expect_pattern("[ipv4-addr:value IN ('10.0.0.1', 'x', 'y')]", 2, "ipv4:10.0.0.1", NULL);
}

static void test_pattern_network_traffic(void **state)
{
    (void)state;
    /* as misp-stix writes ip-dst and ip-dst|port */
    expect_pattern("[network-traffic:dst_ref.type = 'ipv4-addr' AND "
                   "network-traffic:dst_ref.value = '5.6.7.8']",
                   0, "ipv4:5.6.7.8", NULL);
    expect_pattern("[network-traffic:dst_ref.type = 'ipv4-addr' AND "
                   "network-traffic:dst_ref.value = '5.6.7.8' AND "
                   "network-traffic:dst_port = '5678']",
                   0, "cc:5.6.7.8:5678", NULL);
    expect_pattern("[network-traffic:dst_ref.value = 'c2.example' AND "
                   "network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'TCP']",
                   0, "cc:c2.example:443/tcp", NULL);
    expect_pattern("[network-traffic:src_ref.value = '2001:db8::1']", 0, "ipv6:2001:db8::1", NULL);
    expect_pattern_problem("[network-traffic:src_ref.value = '1.2.3.4' AND "
                           "network-traffic:src_port = '1234']",
                           "unsupported comparison: network-traffic:src_port = '1234'");
    expect_pattern_problem("[network-traffic:dst_port = 80]", "unsupported network-traffic");
    expect_pattern_problem("[network-traffic:dst_ref.type = 'ipv4-addr']",
                           "unsupported comparison");
    expect_pattern("[x-yingji-app:package = 'com.evil.app']", 0, "app:com.evil.app", NULL);
}

static void test_pattern_unsupported(void **state)
{
    (void)state;
    expect_pattern_problem("[domain-name:value MATCHES '^evil']",
                           "unsupported operator MATCHES: domain-name:value MATCHES '^evil'");
    expect_pattern_problem("[domain-name:value LIKE 'evil%']", "unsupported operator LIKE");
    expect_pattern_problem("[ipv4-addr:value != '10.0.0.1']", "unsupported operator !=");
    expect_pattern_problem("[ipv4-addr:value NOT = '10.0.0.1']", "unsupported NOT");
    expect_pattern_problem("[file:size > 1000]", "unsupported operator >");
    expect_pattern_problem("[domain-name:value ISSUPERSET 'x']", "unsupported operator ISSUPERSET");
    expect_pattern_problem("[EXISTS windows-registry-key:values]", "unsupported EXISTS");
    expect_pattern_problem("[file:name = 'x.exe']", "unsupported comparison: file:name = 'x.exe'");
    expect_pattern_problem("[file:hashes.'SHA-512' = 'ab']", "unsupported comparison");
    expect_pattern_problem("[network-traffic:src_port = 1234]", "unsupported comparison");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY [ipv4-addr:value = "
                           "'10.0.0.2']",
                           "unsupported FOLLOWEDBY");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] WITHIN 300 SECONDS",
                           "unsupported qualifier WITHIN");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] REPEATS 5 TIMES",
                           "unsupported qualifier REPEATS");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] START t'2016-06-01T00:00:00Z' STOP "
                           "t'2016-07-01T00:00:00Z'",
                           "unsupported qualifier START");
    expect_pattern_problem("[ipv4-addr:value = '999.1.1.1']",
                           "bad value in ipv4-addr:value = '999.1.1.1': not an IPv4 address");
    expect_pattern_problem("[ipv4-addr:value = 167772161]", "not a string value");
    expect_pattern_problem("[file:hashes.MD5 = 'abc']", "hash must be 32 hex digits");
}

static void test_pattern_syntax(void **state)
{
    (void)state;
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'",
                           "syntax error at column 30: expected ']'");
    expect_pattern_problem("[ipv4-addr:value = 10.0.0.1]", "syntax error");
    expect_pattern_problem("[ipv4-addr:value = 'a\\nb']", "bad escape");
    expect_pattern_problem("[ipv4-addr:value = 'unterminated]", "unterminated string");
    expect_pattern_problem("ipv4-addr:value = '10.0.0.1'", "expected '[' or '('");
    expect_pattern_problem("[ipv4-addr value = '10.0.0.1']", "expected ':'");
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] garbage", "unexpected text");
    expect_pattern_problem("", "expected '[' or '('");
    /* a syntax error anywhere imports nothing, not even the good part before it */
    expect_pattern_problem("[ipv4-addr:value = '10.0.0.1'] OR [", "syntax error");

    char deep[300];
    size_t n = 0;
    for (int i = 0; i < 70; i++)
        deep[n++] = '(';
    snprintf(deep + n, sizeof deep - n, "[ipv4-addr:value = '10.0.0.1']");
    expect_pattern_problem(deep, "nested deeper than 64");
}

/* --- TLP ------------------------------------------------------------------------------------ */

static void test_tlp_markings(void **state)
{
    (void)state;
    const char *text =
        "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": ["
        "{\"type\": \"marking-definition\", \"id\": \"marking-definition--local-green\","
        " \"definition_type\": \"tlp\", \"definition\": {\"tlp\": \"green\"}},"
        "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern_type\": \"stix\","
        " \"pattern\": \"[ipv4-addr:value = '10.0.0.1']\","
        " \"object_marking_refs\": [\"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed\"]},"
        "{\"type\": \"indicator\", \"id\": \"indicator--2\", \"pattern_type\": \"stix\","
        " \"pattern\": \"[ipv4-addr:value = '10.0.0.2']\","
        " \"object_marking_refs\": [\"marking-definition--local-green\"]},"
        "{\"type\": \"indicator\", \"id\": \"indicator--3\", \"pattern_type\": \"stix\","
        " \"pattern\": \"[ipv4-addr:value = '10.0.0.3']\", \"object_marking_refs\": ["
        " \"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9\","
        " \"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003\"]},"
        "{\"type\": \"indicator\", \"id\": \"indicator--4\", \"pattern_type\": \"stix\","
        " \"pattern\": \"[ipv4-addr:value = '10.0.0.4']\", \"labels\": [\"phishing\", \"apt\"],"
        " \"confidence\": 85, \"valid_until\": \"2030-01-01T00:00:00Z\"},"
        "{\"type\": \"indicator\", \"id\": \"indicator--5\", \"pattern_type\": \"snort\","
        " \"pattern\": \"alert tcp any any -> any any\"},"
        "{\"type\": \"indicator\", \"id\": \"indicator--6\", \"revoked\": true,"
        " \"pattern\": \"[ipv4-addr:value = '10.0.0.6']\"},"
        "{\"no type\": 1}]}";
    struct intel_batch b;
    import_text(text, strlen(text), &b);
    assert_int_equal(b.objects, 8);
    assert_int_equal(b.n, 4);
    assert_int_equal(b.items[0].tlp, INTEL_TLP_RED);
    assert_int_equal(b.items[1].tlp, INTEL_TLP_GREEN);
    assert_int_equal(b.items[2].tlp, INTEL_TLP_AMBER_STRICT); /* the most restrictive */
    assert_int_equal(b.items[3].tlp, INTEL_TLP_AMBER);        /* none: the default */
    assert_int_equal(b.items[3].category, INTEL_CAT_PHISHING);
    assert_int_equal(b.items[3].n_tags, 2);
    assert_string_equal(b.items[3].tags[1], "apt");
    assert_int_equal(b.items[3].confidence, 85);
    int64_t until;
    assert_int_equal(yj_time_parse("2030-01-01T00:00:00Z", &until), 0);
    assert_int_equal(b.items[3].valid_until, until);
    expect_problem(&b, "pattern_type snort: only STIX patterns are imported");
    expect_problem(&b, "indicator revoked");
    expect_problem(&b, "not a STIX object (no type)");
    expect_problem(&b, "marking-definition: not an indicator (1 object)");

    /* the caller's defaults: source, tlp, confidence, tags, a category for everything */
    struct intel_indicator d;
    intel_template_init(&d, NULL);
    d.source = "feed:test";
    d.tlp = INTEL_TLP_GREEN;
    d.confidence = 70;
    d.category = INTEL_CAT_BOTNET;
    d.tags[d.n_tags++] = "from-feed";
    struct yj_error e = {0};
    intel_batch_init(&b);
    assert_int_equal(intel_stix_import(text, strlen(text), &d, &arena, &b, &e), YJ_OK);
    assert_int_equal(b.items[3].tlp, INTEL_TLP_GREEN);
    assert_int_equal(b.items[0].tlp, INTEL_TLP_RED);
    assert_int_equal(b.items[0].confidence, 70);
    assert_int_equal(b.items[0].category, INTEL_CAT_BOTNET);
    assert_int_equal(b.items[3].category, INTEL_CAT_PHISHING); /* the file's word wins */
    assert_string_equal(b.items[3].source, "feed:test");
    assert_int_equal(b.items[3].n_tags, 3);
    assert_string_equal(b.items[3].tags[0], "from-feed");
}

/* --- export and round trip ------------------------------------------------------------------- */

enum { NOW = 1767225600 }; /* seconds: 2026-01-01T00:00:00Z */

static char *export_batch(const struct intel_batch *b, size_t *len)
{
    struct yj_buf out;
    yj_buf_init(&out, 64 << 20);
    struct yj_error e = {0};
    if (intel_stix_export(b->items, b->n, (int64_t)NOW * 1000, &out, &e) != YJ_OK)
        fail_msg("export failed: %s: %s", e.field, e.msg);
    return yj_buf_detach(&out, len);
}

/* a -> export -> import is a; a second export is the same bytes. */
static void round_trip(const struct intel_batch *a)
{
    size_t n1, n2, n3;
    char *text1 = export_batch(a, &n1);
    struct intel_batch b;
    import_text(text1, n1, &b);
    if (b.n != a->n || b.n_problems != 0) {
        for (size_t k = 0; k < b.n_problems; k++)
            print_message("  %s: %s\n", b.problems[k].where, b.problems[k].reason);
        fail_msg("re-import: %zu indicators, %zu problems; want %zu, 0", b.n, b.n_problems, a->n);
    }
    assert_int_equal(b.objects, a->n);
    for (size_t i = 0; i < a->n; i++) {
        fx_expect_same(&a->items[i], &b.items[i], false);
        assert_true(strncmp(b.items[i].external_id, "indicator--", 11) == 0);
    }
    char *text2 = export_batch(&b, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(text1, text2, n1);
    struct intel_batch c;
    import_text(text2, n2, &c);
    for (size_t i = 0; i < a->n; i++)
        fx_expect_same(&b.items[i], &c.items[i], true);
    char *text3 = export_batch(&c, &n3);
    assert_int_equal(n3, n1);
    free(text1);
    free(text2);
    free(text3);
}

static void test_round_trip_corpus(void **state)
{
    (void)state;
    static const char *const files[] = {"apt1.json", "indicator-for-c2-ip-address.json",
                                        "indicators-for-C2-with-COA.json", "infrastructure.json"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(files); i++) {
        struct intel_batch a;
        import_corpus(files[i], &a);
        round_trip(&a);
    }
}

static void add(struct intel_batch *b, enum intel_type t, const char *raw)
{
    struct intel_indicator ind;
    intel_template_init(&ind, NULL);
    struct yj_error e = {0};
    if (intel_canonical(t, raw, "value", &arena, &ind.value, &e) != YJ_OK)
        fail_msg("%s: %s", raw, e.msg);
    ind.type = t;
    ind.category = intel_category_of_type(t);
    assert_int_equal(intel_batch_add(b, &arena, &ind, &e), YJ_OK);
}

static void test_round_trip_every_type(void **state)
{
    (void)state;
    struct intel_batch a;
    intel_batch_init(&a);
    add(&a, INTEL_IPV4, "203.0.113.7");
    add(&a, INTEL_IPV6, "2001:db8::7");
    add(&a, INTEL_CIDR4, "203.0.113.0/24");
    add(&a, INTEL_CIDR6, "2001:db8::/32");
    add(&a, INTEL_DOMAIN, "evil.example.com");
    add(&a, INTEL_DOMAIN, "sub.example.org");
    a.items[a.n - 1].subdomains = true;
    add(&a, INTEL_URL, "http://evil.example.com/it's\\a?q=1");
    add(&a, INTEL_EMAIL, "o'brien@example.com");
    add(&a, INTEL_MD5, "001dd76872d80801692ff942308c64e6");
    add(&a, INTEL_SHA1, "2920d5e6c579fce772e5506caf03af65579088bd");
    add(&a, INTEL_SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
    add(&a, INTEL_SM3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    add(&a, INTEL_CC, "198.51.100.9:8443/tcp");
    add(&a, INTEL_CC, "[2001:db8::9]:53/udp");
    add(&a, INTEL_CC, "c2.example.net:4444");
    add(&a, INTEL_APP, "com.evil.app");
    add(&a, INTEL_APP,
        "com.evil.app2|66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    add(&a, INTEL_IPV4, "203.0.113.7"); /* a duplicate keeps its own id */
    struct intel_indicator *x = &a.items[0];
    x->category = INTEL_CAT_BOTNET;
    x->tlp = INTEL_TLP_AMBER_STRICT;
    x->confidence = 90;
    x->tags[x->n_tags++] = "apt";
    x->tags[x->n_tags++] = "中文标签";
    x->first_seen = 1700000000123;
    x->last_seen = 1700000999456;
    x->valid_until = 1800000000000;
    x->sightings = 7;
    x->description = "C&C of \"something\"\n second line";
    a.items[2].first_seen = 1700000000000; /* expired before it was seen */
    a.items[2].valid_until = 1600000000000;
    a.items[4].tlp = INTEL_TLP_RED;
    a.items[5].tlp = INTEL_TLP_CLEAR;
    a.items[6].tlp = INTEL_TLP_GREEN;
    round_trip(&a);

    /* ids: derived from type and value, the duplicate's differs */
    size_t n;
    char *text = export_batch(&a, &n);
    struct intel_batch b;
    import_text(text, n, &b);
    assert_string_not_equal(b.items[0].external_id, b.items[a.n - 1].external_id);
    char uuid[INTEL_UUID_STRLEN];
    intel_uuid5("ipv4:203.0.113.7", 16, uuid);
    assert_string_equal(b.items[0].external_id + 11, uuid);
    assert_int_equal(uuid[14], '5');
    assert_non_null(strstr(text, "\"id\":\"bundle--"));
    /* valid_from stays before valid_until, as STIX requires */
    assert_non_null(strstr(text, "\"valid_from\":\"2020-09-13T12:26:39.999Z\",\"valid_until\":"
                                 "\"2020-09-13T12:26:40.000Z\""));
    free(text);
}

static void test_pattern_writer(void **state)
{
    (void)state;
    static const struct {
        enum intel_type t;
        const char *v;
        bool sub;
        const char *want;
    } cases[] = {
        {INTEL_IPV4, "10.0.0.1", false, "[ipv4-addr:value = '10.0.0.1']"},
        {INTEL_CIDR6, "2001:db8::/32", false, "[ipv6-addr:value = '2001:db8::/32']"},
        {INTEL_DOMAIN, "a.example", true,
         "[domain-name:value = 'a.example' OR domain-name:value LIKE '%.a.example']"},
        {INTEL_URL, "http://a.example/it's", false, "[url:value = 'http://a.example/it\\'s']"},
        {INTEL_MD5, "001dd76872d80801692ff942308c64e6", false,
         "[file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']"},
        {INTEL_SHA1, "2920d5e6c579fce772e5506caf03af65579088bd", false,
         "[file:hashes.'SHA-1' = '2920d5e6c579fce772e5506caf03af65579088bd']"},
        {INTEL_CC, "[2001:db8::9]:53/udp", false,
         "[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = "
         "'2001:db8::9' AND network-traffic:dst_port = 53 AND network-traffic:protocols[*] = "
         "'udp']"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct intel_indicator ind = {
            .type = cases[i].t, .value = cases[i].v, .subdomains = cases[i].sub};
        const char *p;
        struct yj_error e = {0};
        assert_int_equal(intel_stix_pattern(&ind, &arena, &p, &e), YJ_OK);
        assert_string_equal(p, cases[i].want);
    }
    struct intel_indicator none = {.type = INTEL_IPV4};
    const char *p;
    struct yj_error e = {0};
    assert_int_equal(intel_stix_pattern(&none, &arena, &p, &e), YJ_EINVAL);

    /* an export over its limit fails and leaves the buffer as it was */
    struct intel_batch a;
    intel_batch_init(&a);
    add(&a, INTEL_IPV4, "203.0.113.7");
    struct yj_buf out;
    yj_buf_init(&out, 100);
    assert_int_equal(yj_buf_puts(&out, "keep"), YJ_OK);
    assert_int_equal(intel_stix_export(a.items, a.n, 0, &out, &e), YJ_ETOOBIG);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.ptr, "keep");
    yj_buf_release(&out);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_int_equal(intel_category_of_word("command-and-control"), INTEL_CAT_BOTNET);
    assert_int_equal(intel_category_of_word("kill-chain:c2"), INTEL_CAT_BOTNET);
    assert_int_equal(intel_category_of_word("robot"), INTEL_CAT_OTHER);
    assert_int_equal(intel_category_of_word("Phishing"), INTEL_CAT_PHISHING);
    assert_int_equal(intel_category_of_word(NULL), INTEL_CAT_OTHER);
    struct intel_indicator ind;
    intel_template_init(&ind, NULL);
    assert_int_equal(ind.tlp, INTEL_TLP_AMBER);
    assert_int_equal(ind.confidence, 50);
    assert_int_equal(ind.sightings, 1);
    assert_true(intel_tag_add(&ind, "a"));
    assert_true(intel_tag_add(&ind, "a"));
    assert_int_equal(ind.n_tags, 1);
    assert_false(intel_tag_add(&ind, ""));
    char uuid1[INTEL_UUID_STRLEN], uuid2[INTEL_UUID_STRLEN];
    intel_uuid5("x", 1, uuid1);
    intel_uuid5("x", 1, uuid2);
    assert_string_equal(uuid1, uuid2);
    assert_int_equal(strlen(uuid1), 36);
    intel_uuid5("y", 1, uuid2);
    assert_string_not_equal(uuid1, uuid2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_counts),
        cmocka_unit_test(test_corpus_apt1),
        cmocka_unit_test(test_corpus_scos_and_email),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_pattern_values),
        cmocka_unit_test(test_pattern_or_and),
        cmocka_unit_test(test_pattern_network_traffic),
        cmocka_unit_test(test_pattern_unsupported),
        cmocka_unit_test(test_pattern_syntax),
        cmocka_unit_test(test_tlp_markings),
        cmocka_unit_test(test_round_trip_corpus),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_pattern_writer),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
