/*
 * test_attach_sniff.c - types decided from content: every fixture of
 * tests/fixtures/attach (generate.py says how each was made) gets the right
 * media type or is refused naming field "file"; the size limit; zip-based
 * documents whichever order their parts come in; and many threads sniffing at
 * once (one libmagic handle behind a mutex).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>

#include "attach/attach.h"
#include "core/yj.h"

/* A fixture's bytes (malloc'd; the caller frees them). */
static char *fixture(const char *name, size_t *n)
{
    const char *src = getenv("YINGJI_SRC");
    assert_non_null(src);
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/attach/%s", src, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    struct yj_buf b;
    yj_buf_init(&b, ATTACH_MAX_SIZE);
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, r), YJ_OK);
    fclose(f);
    char *out = yj_buf_detach(&b, n);
    assert_non_null(out);
    return out;
}

static void expect_type(const char *name, const char *want)
{
    size_t n;
    char *data = fixture(name, &n);
    struct yj_error e;
    yj_error_clear(&e);
    const char *type = NULL;
    enum yj_err rc = attach_sniff(data, n, &type, &e);
    free(data);
    if (rc != YJ_OK)
        fail_msg("%s: %s (%s)", name, yj_err_name(rc), e.msg);
    assert_string_equal(type, want);
}

/* Refused with code, naming "file", with msg_part in the message. */
static void expect_refused(const char *name, enum yj_err code, const char *msg_part)
{
    size_t n;
    char *data = fixture(name, &n);
    struct yj_error e;
    yj_error_clear(&e);
    const char *type = NULL;
    enum yj_err rc = attach_sniff(data, n, &type, &e);
    free(data);
    if (rc != code)
        fail_msg("%s: expected %s, got %s (%s)", name, yj_err_name(code), yj_err_name(rc),
                 type ? type : e.msg);
    assert_string_equal(e.field, "file");
    if (!strstr(e.msg, msg_part))
        fail_msg("%s: message \"%s\" does not mention \"%s\"", name, e.msg, msg_part);
    assert_null(type);
}

static void test_accepted_fixtures(void **state)
{
    (void)state;
    expect_type("sample.pdf", ATTACH_TYPE_PDF);
    expect_type("sample.png", ATTACH_TYPE_PNG);
    expect_type("sample.jpg", ATTACH_TYPE_JPEG);
    expect_type("sample.docx", ATTACH_TYPE_DOCX);
    expect_type("sample.xlsx", ATTACH_TYPE_XLSX);
    expect_type("sample.ofd", ATTACH_TYPE_OFD);
}

static void test_deceptive_fixtures(void **state)
{
    (void)state;
    /* The name says PDF or PNG; the bytes say otherwise, and the message says what. */
    expect_refused("elf-named.pdf", YJ_EINVAL, "application/x-executable");
    expect_refused("exe-named.pdf", YJ_EINVAL, "not accepted");
    expect_refused("html-named.png", YJ_EINVAL, "text/html");
    expect_refused("svg-named.png", YJ_EINVAL, "image/svg+xml");
    expect_refused("empty.pdf", YJ_EINVAL, "empty");
    expect_refused("truncated.pdf", YJ_EINVAL, "incomplete");
    expect_refused("truncated.png", YJ_EINVAL, "incomplete");
    expect_refused("zip-named.docx", YJ_EINVAL, "not a DOCX, XLSX or OFD");
    expect_refused("macro-named.docx", YJ_EINVAL, "macros");
}

static void test_size_limits(void **state)
{
    (void)state;
    struct yj_error e;
    assert_int_equal(attach_size_check(0, &e), YJ_EINVAL);
    assert_string_equal(e.field, "file");
    assert_int_equal(attach_size_check(1, &e), YJ_OK);
    assert_int_equal(attach_size_check(ATTACH_MAX_SIZE, &e), YJ_OK);
    assert_int_equal(attach_size_check((size_t)ATTACH_MAX_SIZE + 1, &e), YJ_ETOOBIG);
    assert_string_equal(e.field, "file");
    assert_non_null(strstr(e.msg, "20 MiB"));

    /* A PDF of exactly the limit passes; one byte more is refused before libmagic. */
    size_t n = (size_t)ATTACH_MAX_SIZE + 1;
    char *big = malloc(n);
    assert_non_null(big);
    static const char head[] = "%PDF-1.4\n%", tail[] = "\n%%EOF\n";
    memset(big, 'A', n);
    memcpy(big, head, sizeof head - 1);
    memcpy(big + ATTACH_MAX_SIZE - (sizeof tail - 1), tail, sizeof tail - 1);
    const char *type = NULL;
    assert_int_equal(attach_sniff(big, ATTACH_MAX_SIZE, &type, &e), YJ_OK);
    assert_string_equal(type, ATTACH_TYPE_PDF);
    memcpy(big + n - (sizeof tail - 1), tail, sizeof tail - 1);
    type = NULL;
    assert_int_equal(attach_sniff(big, n, &type, &e), YJ_ETOOBIG);
    assert_string_equal(e.field, "file");
    assert_null(type);
    free(big);
}

/* --- zip-based documents built here, entry by entry ----------------------------- */

struct zip {
    struct yj_buf b, cd;
    int entries;
};

static void put16(struct yj_buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    assert_int_equal(yj_buf_append(b, x, 2), YJ_OK);
}

static void put32(struct yj_buf *b, uint32_t v)
{
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}

/* A stored (uncompressed) entry; CRC left 0, which only extraction would check. */
static void zip_add(struct zip *z, const char *name, const char *data)
{
    uint32_t off = (uint32_t)z->b.len, len = (uint32_t)strlen(data);
    uint16_t nl = (uint16_t)strlen(name);
    put32(&z->b, 0x04034b50);
    put16(&z->b, 20);
    put16(&z->b, 0);
    put16(&z->b, 0);
    put32(&z->b, 0);
    put32(&z->b, 0);
    put32(&z->b, len);
    put32(&z->b, len);
    put16(&z->b, nl);
    put16(&z->b, 0);
    yj_buf_append(&z->b, name, nl);
    yj_buf_append(&z->b, data, len);
    put32(&z->cd, 0x02014b50);
    put16(&z->cd, 20);
    put16(&z->cd, 20);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put32(&z->cd, 0);
    put32(&z->cd, 0);
    put32(&z->cd, len);
    put32(&z->cd, len);
    put16(&z->cd, nl);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put32(&z->cd, 0);
    put32(&z->cd, off);
    yj_buf_append(&z->cd, name, nl);
    z->entries++;
}

/* Appends the central directory and its end record; returns the archive's bytes. */
static char *zip_finish(struct zip *z, size_t *n)
{
    uint32_t off = (uint32_t)z->b.len;
    yj_buf_append(&z->b, z->cd.ptr, z->cd.len);
    put32(&z->b, 0x06054b50);
    put16(&z->b, 0);
    put16(&z->b, 0);
    put16(&z->b, (unsigned)z->entries);
    put16(&z->b, (unsigned)z->entries);
    put32(&z->b, (uint32_t)z->cd.len);
    put32(&z->b, off);
    put16(&z->b, 0);
    yj_buf_release(&z->cd);
    return yj_buf_detach(&z->b, n);
}

static void zip_init(struct zip *z)
{
    yj_buf_init(&z->b, 1 << 20);
    yj_buf_init(&z->cd, 1 << 20);
    z->entries = 0;
}

static enum yj_err sniff_buf(char *data, size_t n, const char **type, struct yj_error *e)
{
    enum yj_err rc = attach_sniff(data, n, type, e);
    free(data);
    return rc;
}

/* Finishes the archive and sniffs it (zip_finish must run before n is read). */
static enum yj_err sniff_zip(struct zip *z, const char **type, struct yj_error *e)
{
    size_t n;
    char *data = zip_finish(z, &n);
    return sniff_buf(data, n, type, e);
}

static void test_zip_documents(void **state)
{
    (void)state;
    struct zip z;
    size_t n;
    const char *type;
    struct yj_error e;

    /* Parts in an order libmagic does not recognise (docProps first): the central
     * directory still makes it a DOCX. */
    zip_init(&z);
    zip_add(&z, "docProps/app.xml", "<Properties/>");
    zip_add(&z, "[Content_Types].xml", "<Types/>");
    zip_add(&z, "word/document.xml", "<w:document/>");
    type = NULL;
    assert_int_equal(sniff_zip(&z, &type, &e), YJ_OK);
    assert_string_equal(type, ATTACH_TYPE_DOCX);

    zip_init(&z);
    zip_add(&z, "docProps/core.xml", "<cp/>");
    zip_add(&z, "xl/workbook.xml", "<workbook/>");
    zip_add(&z, "[Content_Types].xml", "<Types/>");
    type = NULL;
    assert_int_equal(sniff_zip(&z, &type, &e), YJ_OK);
    assert_string_equal(type, ATTACH_TYPE_XLSX);

    /* OFD.xml need not come first. */
    zip_init(&z);
    zip_add(&z, "Doc_0/Document.xml", "<ofd:Document/>");
    zip_add(&z, "OFD.xml", "<ofd:OFD/>");
    type = NULL;
    assert_int_equal(sniff_zip(&z, &type, &e), YJ_OK);
    assert_string_equal(type, ATTACH_TYPE_OFD);

    /* An Excel workbook with macros, however its VBA part is spelt. */
    zip_init(&z);
    zip_add(&z, "[Content_Types].xml", "<Types/>");
    zip_add(&z, "xl/workbook.xml", "<workbook/>");
    zip_add(&z, "xl/VBAProject.bin", "vba");
    assert_int_equal(sniff_zip(&z, &type, &e), YJ_EINVAL);
    assert_non_null(strstr(e.msg, "macros"));

    /* Both word/ and xl/: not one document. */
    zip_init(&z);
    zip_add(&z, "[Content_Types].xml", "<Types/>");
    zip_add(&z, "word/document.xml", "<w/>");
    zip_add(&z, "xl/workbook.xml", "<x/>");
    assert_int_equal(sniff_zip(&z, &type, &e), YJ_EINVAL);
    assert_string_equal(e.field, "file");

    /* Cut anywhere in its directory or end record, a package is damaged. */
    zip_init(&z);
    zip_add(&z, "OFD.xml", "<ofd:OFD/>");
    zip_add(&z, "Doc_0/Document.xml", "<ofd:Document/>");
    char *whole = zip_finish(&z, &n);
    for (size_t cut = 1; cut < 80; cut += 7) {
        char *part = malloc(n - cut);
        assert_non_null(part);
        memcpy(part, whole, n - cut);
        assert_int_equal(sniff_buf(part, n - cut, &type, &e), YJ_EINVAL);
        assert_string_equal(e.field, "file");
    }
    /* Bytes appended after the end record (a polyglot's trick) are refused too. */
    char *longer = malloc(n + 4);
    assert_non_null(longer);
    memcpy(longer, whole, n);
    memcpy(longer + n, "MZ\0\0", 4);
    assert_int_equal(sniff_buf(longer, n + 4, &type, &e), YJ_EINVAL);
    /* A directory entry pointing outside the archive. */
    char *bent = malloc(n);
    assert_non_null(bent);
    memcpy(bent, whole, n);
    size_t cd = (size_t)(unsigned char)bent[n - 6] | (size_t)(unsigned char)bent[n - 5] << 8;
    bent[cd + 45] = 0x7f;
    assert_int_equal(sniff_buf(bent, n, &type, &e), YJ_EINVAL);
    free(whole);
}

static void test_other_refusals(void **state)
{
    (void)state;
    struct yj_error e;
    const char *type = NULL;
    static const char text[] = "just some text, named whatever.pdf\n";
    assert_int_equal(attach_sniff(text, sizeof text - 1, &type, &e), YJ_EINVAL);
    assert_non_null(strstr(e.msg, "text/plain"));
    assert_non_null(strstr(e.msg, "PDF, PNG, JPEG, DOCX, XLSX or OFD"));
    /* An HTML page with a PDF header inside: libmagic says PDF, the start says not. */
    static const char html_pdf[] = "<html><body><script>alert(1)</script>\n%PDF-1.4\n%%EOF\n";
    type = NULL;
    assert_int_equal(attach_sniff(html_pdf, sizeof html_pdf - 1, &type, &e), YJ_EINVAL);
    assert_string_equal(e.field, "file");
    assert_null(type);
    /* A PDF header alone. */
    static const char header[] = "%PDF-1.7\n";
    assert_int_equal(attach_sniff(header, sizeof header - 1, &type, &e), YJ_EINVAL);
    /* A JPEG start without an end. */
    static const unsigned char jpeg_start[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F',
                                               0,    1,    1,    0,    0, 1,  0,   1,   0,   0};
    assert_int_equal(attach_sniff(jpeg_start, sizeof jpeg_start, &type, &e), YJ_EINVAL);
    assert_null(type);
}

static void test_media_table(void **state)
{
    (void)state;
    assert_int_equal(attach_media_types_count, 6);
    for (size_t i = 0; i < attach_media_types_count; i++)
        assert_ptr_equal(attach_media_find(attach_media_types[i].type), &attach_media_types[i]);
    assert_null(attach_media_find("application/zip"));
    assert_null(attach_media_find(NULL));
    assert_string_equal(attach_media_find(ATTACH_TYPE_JPEG)->extension, "jpg");
    struct yj_error e;
    assert_int_equal(attach_sniff_init(&e), YJ_OK);
}

/* Many threads at once through the one handle: each must get its own answer. */
static void *sniff_many(void *arg)
{
    const char *name = *(const char *const *)arg;
    size_t n;
    char *data = fixture(name, &n);
    const char *want = strstr(name, ".pdf") ? ATTACH_TYPE_PDF : ATTACH_TYPE_PNG;
    for (int i = 0; i < 200; i++) {
        const char *type = NULL;
        struct yj_error e;
        if (attach_sniff(data, n, &type, &e) != YJ_OK || strcmp(type, want) != 0) {
            free(data);
            return (void *)1;
        }
    }
    free(data);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    static const char *names[2] = {"sample.png", "sample.pdf"};
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, sniff_many, (void *)&names[i % 2]), 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_fixtures), cmocka_unit_test(test_deceptive_fixtures),
        cmocka_unit_test(test_size_limits),       cmocka_unit_test(test_zip_documents),
        cmocka_unit_test(test_other_refusals),    cmocka_unit_test(test_media_table),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
