/*
 * test_csv.c - CSV with a column mapping (by index and by header names), RFC 4180
 * quoting, comments and blank rows, problems with their line numbers, files refused
 * with their position (binary, invalid UTF-8, broken quoting) importing nothing;
 * plain one-per-line lists; and CSV export -> import giving the same indicators,
 * also for the STIX corpus.
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
#include "intel/intel_csv.h"
#include "intel/intel_stix.h"

static struct intel_batch csv(const char *text, const struct intel_csv_map *m)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error e = {0};
    if (intel_csv_import(text, strlen(text), m, NULL, &arena, &b, &e) != YJ_OK)
        fail_msg("refused: %s: %s", e.field, e.msg);
    return b;
}

static void expect_problem(const struct intel_batch *b, const char *where, const char *part)
{
    for (size_t i = 0; i < b->n_problems; i++)
        if (strcmp(b->problems[i].where, where) == 0 && strstr(b->problems[i].reason, part))
            return;
    for (size_t i = 0; i < b->n_problems; i++)
        print_message("  %s: %s\n", b->problems[i].where, b->problems[i].reason);
    fail_msg("no problem at %s mentions \"%s\"", where, part);
}

static void expect_item(const struct intel_batch *b, size_t i, enum intel_type t, const char *v)
{
    assert_true(i < b->n);
    assert_int_equal(b->items[i].type, t);
    assert_string_equal(b->items[i].value, v);
}

static void test_header_mapping(void **state)
{
    (void)state;
    const char *text =
        "# exported by a partner\r\n"
        "Indicator , Type,category,confidence,TLP,tags,first_seen,valid_until,description\r\n"
        "203.0.113.7,ipv4,botnet,90,red,apt; c2 ,2024-06-01T10:00:00Z,2025-01-01,\"C&C, seen "
        "\"\"twice\"\"\"\r\n"
        "\r\n"
        "EVIL.example.com,,,,,,1717236000,,\"two\nlines\"\r\n"
        "# a comment row\r\n"
        "198.51.100.0/24,ip,phishing,,,,2024-06-01 10:00:00,,\r\n"
        "not a value,domain,,,,,,,\r\n"
        "http://x.example/,url,nonsense,101,purple,,yesterday,,\r\n"
        "b2a5abfeef9e36964281a31e17b57c97,md5\r\n"
        ",ipv4\r\n"
        "a.example,mutex\r\n"
        "2001:db8::1,ip\r\n"
        "a.example,ip";
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    struct yj_error e = {0};
    /* the header is the second row here: map it from there */
    const char *header = strchr(text, '\n') + 1;
    assert_int_equal(intel_csv_map_header(header, strlen(header), &m, &e), YJ_OK);
    assert_int_equal(m.value, 0);
    assert_int_equal(m.type, 1);
    assert_int_equal(m.description, 8);
    assert_int_equal(m.sightings, -1);
    m.header = false; /* the comment row comes first; the header row has no valid value */
    struct intel_batch b = csv(header + strcspn(header, "\n") + 1, &m);
    assert_int_equal(b.objects, 10);
    assert_int_equal(b.n, 6);

    const struct intel_indicator *x = &b.items[0];
    expect_item(&b, 0, INTEL_IPV4, "203.0.113.7");
    assert_int_equal(x->category, INTEL_CAT_BOTNET);
    assert_int_equal(x->confidence, 90);
    assert_int_equal(x->tlp, INTEL_TLP_RED);
    assert_int_equal(x->n_tags, 2);
    assert_string_equal(x->tags[1], "c2");
    assert_int_equal(x->first_seen, 1717236000000);
    int64_t until;
    assert_int_equal(yj_time_parse("2025-01-01T00:00:00Z", &until), 0);
    assert_int_equal(x->valid_until, until);
    assert_string_equal(x->description, "C&C, seen \"twice\"");

    expect_item(&b, 1, INTEL_DOMAIN, "evil.example.com"); /* type guessed */
    assert_int_equal(b.items[1].category, INTEL_CAT_MALICIOUS_DOMAIN);
    assert_int_equal(b.items[1].first_seen, 1717236000000);
    assert_string_equal(b.items[1].description, "two\nlines");
    assert_int_equal(b.items[1].tlp, INTEL_TLP_AMBER);
    expect_item(&b, 2, INTEL_CIDR4, "198.51.100.0/24");
    assert_int_equal(b.items[2].first_seen, 1717236000000);
    assert_int_equal(b.items[2].category, INTEL_CAT_PHISHING);
    /* bad optional fields: the value imported, each field reported */
    expect_item(&b, 3, INTEL_URL, "http://x.example/");
    assert_int_equal(b.items[3].category, INTEL_CAT_MALICIOUS_URL);
    assert_int_equal(b.items[3].confidence, 50);
    expect_item(&b, 4, INTEL_MD5, "b2a5abfeef9e36964281a31e17b57c97");
    expect_item(&b, 5, INTEL_IPV6, "2001:db8::1");
    /* lines count from the first row given to the importer */
    expect_problem(&b, "line 7", "bad value in column 1");
    expect_problem(&b, "line 8", "unknown category nonsense in column 3");
    expect_problem(&b, "line 8", "confidence 101 in column 4 is not 0..100");
    expect_problem(&b, "line 8", "unknown TLP purple");
    expect_problem(&b, "line 8", "first_seen yesterday in column 7 is not a time");
    expect_problem(&b, "line 10", "no value in column 1");
    expect_problem(&b, "line 11", "unknown type mutex in column 2");
    expect_problem(&b, "line 13", "a.example in column 1 is not an IP address or range");
    assert_int_equal(b.n_problems, 8);
}

static void test_index_mapping(void **state)
{
    (void)state;
    /* as abuse.ch URLhaus dumps look: comments, quoted fields, tags joined by the delimiter */
    const char *text =
        "################################################################\n"
        "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
        "\"3021012\",\"2024-06-01 10:00:05\",\"http://203.0.113.9:8080/bins/x86\",\"online\","
        "\"2024-06-01 10:00:05\",\"malware_download\",\"elf,mirai\","
        "\"https://urlhaus.abuse.ch/url/3021012/\",\"someone\"\n"
        "\"3021013\",\"2024-06-01 10:01:00\",\"https://evil.example/a.apk\",\"offline\","
        "\"\",\"malware_download\",\"apk\",\"https://urlhaus.abuse.ch/url/3021013/\",\"x\"\n";
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    m.value = 2;
    m.first_seen = 1;
    m.tags = 6;
    m.tag_sep = ',';
    m.external_id = 0;
    struct intel_batch b = csv(text, &m);
    assert_int_equal(b.objects, 2);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.n_problems, 0);
    expect_item(&b, 0, INTEL_URL, "http://203.0.113.9:8080/bins/x86");
    assert_int_equal(b.items[0].n_tags, 2);
    assert_string_equal(b.items[0].tags[1], "mirai");
    assert_string_equal(b.items[0].external_id, "3021012");
    int64_t t;
    assert_int_equal(yj_time_parse("2024-06-01T10:00:05Z", &t), 0);
    assert_int_equal(b.items[0].first_seen, t);

    /* other delimiters; a header row skipped; a short row */
    const char *semi = "value;type\n10.0.0.1;ipv4\n\"a;b.example\";domain\n10.0.0.2\n";
    intel_csv_map_init(&m);
    m.delimiter = ';';
    m.type = 1;
    m.header = true;
    b = csv(semi, &m);
    assert_int_equal(b.objects, 3);
    assert_int_equal(b.n, 2);
    expect_problem(&b, "line 3", "bad value in column 1");
    expect_item(&b, 1, INTEL_IPV4, "10.0.0.2");
    const char *tabs = "10.0.0.1\tipv4\n  \t  \nx.example\tdomain\n";
    m.delimiter = '\t';
    m.header = false;
    b = csv(tabs, &m);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.objects, 2);

    /* the caller's defaults */
    struct intel_indicator d;
    intel_template_init(&d, NULL);
    d.category = INTEL_CAT_PHISHING;
    d.tlp = INTEL_TLP_GREEN;
    d.source = "feed:x";
    intel_csv_map_init(&m);
    struct yj_error e = {0};
    intel_batch_init(&b);
    assert_int_equal(intel_csv_import("a.example\n", 10, &m, &d, &arena, &b, &e), YJ_OK);
    assert_int_equal(b.items[0].category, INTEL_CAT_PHISHING);
    assert_int_equal(b.items[0].tlp, INTEL_TLP_GREEN);
    assert_string_equal(b.items[0].source, "feed:x");

    m.value = -1;
    assert_int_equal(intel_csv_import("a\n", 2, &m, NULL, &arena, &b, &e), YJ_EINVAL);
    assert_string_equal(e.field, "map");
    const char *nohead = "type,kind\nipv4,x\n";
    assert_int_equal(intel_csv_map_header(nohead, strlen(nohead), &m, &e), YJ_EINVAL);
    assert_string_equal(e.field, "header");
}

/* text is refused naming "file" with msg_part in the message, the batch as it was. */
static void expect_refused(const char *text, size_t n, bool list, const char *msg_part)
{
    struct intel_batch b;
    intel_batch_init(&b);
    struct intel_indicator keep = {.type = INTEL_IPV4, .value = "192.0.2.1", .sightings = 1};
    struct yj_error e = {0};
    assert_int_equal(intel_batch_add(&b, &arena, &keep, &e), YJ_OK);
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    enum yj_err rc = list ? intel_list_import(text, n, NULL, &arena, &b, &e)
                          : intel_csv_import(text, n, &m, NULL, &arena, &b, &e);
    assert_int_equal(rc, YJ_EINVAL);
    assert_string_equal(e.field, "file");
    if (!strstr(e.msg, msg_part))
        fail_msg("refused with \"%s\", want \"%s\"", e.msg, msg_part);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.n_problems, 0);
    assert_int_equal(b.objects, 0);
}

static void test_malformed(void **state)
{
    (void)state;
    static const char nul[] = "10.0.0.1\n10.0.0.2\n10.0.\0003\n";
    expect_refused(nul, sizeof nul - 1, false,
                   "not a text file: a binary or invalid UTF-8 byte at line 3, column 6");
    expect_refused("10.0.0.1\n\xff\xfe", 11, false, "at line 2, column 1");
    expect_refused("ok.example\n\xc0\xaf\n", 14, true, "line 2, column 1"); /* overlong '/' */
    expect_refused("a.example,\x01\n", 12, false, "at line 1, column 11");
    const char *s = "10.0.0.1,ipv4\n10.0.0.2,\"ipv4\n10.0.0.3,ipv4\n";
    expect_refused(s, strlen(s), false, "unterminated quoted field at line 2, column 10");
    s = "10.0.0.1,\"ipv4\"x\n";
    expect_refused(s, strlen(s), false, "text after a closing quote at line 1, column 16");
    s = "中文,\"ipv4\" \n";
    expect_refused(s, strlen(s), false, "text after a closing quote at line 1, column 10");
    /* a byte order mark is no binary */
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    struct intel_batch b = csv("\xef\xbb\xbf"
                               "10.0.0.1\n",
                               &m);
    assert_int_equal(b.n, 1);
}

static void test_plain_list(void **state)
{
    (void)state;
    const char *text = "# blocklist\n"
                       "; Spamhaus style comment\n"
                       "203.0.113.7\n"
                       "\n"
                       "   evil.example.com   # seen in spam\n"
                       "198.51.100.0/24 ; SBL123\n"
                       "http://evil.example.com/x;y\n"
                       "not a value at all\n"
                       "b2a5abfeef9e36964281a31e17b57c97\r\n"
                       "bad@\n";
    struct intel_batch b;
    intel_batch_init(&b);
    struct yj_error e = {0};
    assert_int_equal(intel_list_import(text, strlen(text), NULL, &arena, &b, &e), YJ_OK);
    assert_int_equal(b.objects, 7);
    assert_int_equal(b.n, 5);
    expect_item(&b, 0, INTEL_IPV4, "203.0.113.7");
    expect_item(&b, 1, INTEL_DOMAIN, "evil.example.com");
    expect_item(&b, 2, INTEL_CIDR4, "198.51.100.0/24");
    expect_item(&b, 3, INTEL_URL, "http://evil.example.com/x;y");
    expect_item(&b, 4, INTEL_MD5, "b2a5abfeef9e36964281a31e17b57c97");
    assert_int_equal(b.items[2].category, INTEL_CAT_MALICIOUS_IP);
    assert_int_equal(b.n_problems, 2);
    expect_problem(&b, "line 8", "not an IP, CIDR, URL, e-mail address, hash or domain");
    expect_problem(&b, "line 10", "e-mail");
    expect_refused("a.example\n\0", 11, true, "line 2, column 1");
}

/* --- export -------------------------------------------------------------------------------- */

static void round_trip(const struct intel_batch *a)
{
    struct yj_buf out;
    yj_buf_init(&out, 64 << 20);
    struct yj_error e = {0};
    assert_int_equal(intel_csv_export(a->items, a->n, &out, &e), YJ_OK);
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    assert_int_equal(intel_csv_map_header(out.ptr, out.len, &m, &e), YJ_OK);
    struct intel_batch b = csv(out.ptr, &m);
    assert_int_equal(b.n, a->n);
    assert_int_equal(b.objects, a->n);
    assert_int_equal(b.n_problems, 0);
    for (size_t i = 0; i < a->n; i++)
        fx_expect_same(&a->items[i], &b.items[i], true);
    struct yj_buf again;
    yj_buf_init(&again, 64 << 20);
    assert_int_equal(intel_csv_export(b.items, b.n, &again, &e), YJ_OK);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.ptr, out.ptr, out.len);
    yj_buf_release(&again);
    yj_buf_release(&out);
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

static void test_round_trip(void **state)
{
    (void)state;
    struct intel_batch a;
    intel_batch_init(&a);
    add(&a, INTEL_IPV4, "203.0.113.7");
    add(&a, INTEL_IPV6, "2001:db8::7");
    add(&a, INTEL_CIDR4, "203.0.113.0/24");
    add(&a, INTEL_CIDR6, "2001:db8::/32");
    add(&a, INTEL_DOMAIN, "sub.example.org");
    a.items[a.n - 1].subdomains = true;
    add(&a, INTEL_URL, "http://evil.example.com/a,b?q=\"1\"");
    add(&a, INTEL_EMAIL, "o'brien@example.com");
    add(&a, INTEL_MD5, "001dd76872d80801692ff942308c64e6");
    add(&a, INTEL_SHA1, "2920d5e6c579fce772e5506caf03af65579088bd");
    add(&a, INTEL_SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
    add(&a, INTEL_SM3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    add(&a, INTEL_CC, "198.51.100.9:8443/tcp");
    add(&a, INTEL_CC, "[2001:db8::9]:53/udp");
    add(&a, INTEL_APP,
        "com.evil.app2|66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    struct intel_indicator *x = &a.items[0];
    x->category = INTEL_CAT_EVENT;
    x->tlp = INTEL_TLP_AMBER_STRICT;
    x->confidence = 0;
    x->tags[x->n_tags++] = "apt, \"quoted\"";
    x->tags[x->n_tags++] = "中文标签";
    x->first_seen = 1700000000123;
    x->last_seen = 1700000999456;
    x->valid_until = 1800000000000;
    x->sightings = 7;
    x->description = "# not a comment,\r\n \"quoted\" ";
    x->external_id = "indicator--1";
    a.items[1].description = " leading space";
    round_trip(&a);

    /* a STIX corpus bundle, through CSV */
    const char *dir = getenv("YINGJI_CORPORA");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/stix21/apt1.json", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 17];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    struct intel_batch s;
    intel_batch_init(&s);
    struct yj_error e = {0};
    assert_int_equal(intel_stix_import(text, n, NULL, &arena, &s, &e), YJ_OK);
    assert_int_equal(s.n, 10);
    round_trip(&s);

    /* what CSV cannot carry, and the size limit */
    struct intel_indicator bad = a.items[1];
    bad.tags[bad.n_tags++] = "a;b";
    struct yj_buf out;
    yj_buf_init(&out, 400);
    assert_int_equal(yj_buf_puts(&out, "keep"), YJ_OK);
    assert_int_equal(intel_csv_export(&bad, 1, &out, &e), YJ_EINVAL);
    assert_string_equal(e.field, "items[0]");
    assert_int_equal(intel_csv_export(a.items, a.n, &out, &e), YJ_ETOOBIG);
    assert_string_equal(out.ptr, "keep");
    yj_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_mapping), cmocka_unit_test(test_index_mapping),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_plain_list),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
