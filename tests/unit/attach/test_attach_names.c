/*
 * test_attach_names.c - attachment kinds (codes, Chinese names, the template's
 * minimum counts), file-name validation and the Content-Disposition a download
 * carries (RFC 6266 with an RFC 8187 filename*).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "attach/attach.h"
#include "core/yj.h"

static void test_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *code, *zh;
        int min;
    } want[] = {
        {"commitment_letter", "承诺书", 1},
        {"response_commitment", "应急响应承诺书", 1},
        {"legal_documents", "法律地位证明", 1},
        {"audit_report", "财务审计报告关键页", 1},
        {"qualification_scans", "资质证明", 0},
        {"staff_certificates", "人员资质证书", 0},
        {"project_evidence", "项目证明材料", 0},
        {"risk_assessment_report", "风险评估报告", 3},
        {"other", "其他", 0},
    };
    assert_int_equal(attach_kinds_count, YJ_ARRAY_LEN(want));
    struct yj_error e;
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        const struct attach_kind *k = attach_kind_find(want[i].code);
        assert_non_null(k);
        assert_ptr_equal(k, &attach_kinds[i]);
        assert_string_equal(k->name_zh, want[i].zh);
        assert_true(k->name_en && *k->name_en);
        assert_int_equal(k->min_at_submission, want[i].min);
        assert_int_equal(attach_kind_check(want[i].code, &e), YJ_OK);
    }
    assert_null(attach_kind_find("Commitment_Letter"));
    assert_null(attach_kind_find(NULL));
    static const char *const bad[] = {"", "commitment", "other ", "承诺书"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        yj_error_clear(&e);
        assert_int_equal(attach_kind_check(bad[i], &e), YJ_EINVAL);
        assert_string_equal(e.field, "kind");
    }
    assert_int_equal(attach_kind_check(NULL, &e), YJ_EINVAL);
    assert_string_equal(e.msg, "required");
}

static void test_filename_good(void **state)
{
    (void)state;
    static const char *const good[] = {
        "承诺书.pdf",
        "a",
        "Scan 2026-01-09 (1).JPG",
        ".hidden.pdf",
        "风险评估报告（一）.docx",
        "name with 'quotes' and \"double\".pdf",
        "100%.pdf",
        "emoji 😀.png",
        "...pdf",
    };
    struct yj_error e;
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++)
        if (attach_filename_check(good[i], &e) != YJ_OK)
            fail_msg("\"%s\" refused: %s", good[i], e.msg);
    /* 200 characters (600 bytes of CJK) pass; 201 do not. */
    char name[1024] = "";
    for (int i = 0; i < 200; i++)
        memcpy(name + 3 * i, "测", 4);
    assert_int_equal(attach_filename_check(name, &e), YJ_OK);
    memcpy(name + 600, "x", 2);
    assert_int_equal(attach_filename_check(name, &e), YJ_EINVAL);
    assert_string_equal(e.field, "filename");
    assert_non_null(strstr(e.msg, "200"));
}

static void test_filename_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        ".",
        "..",
        "a/b.pdf",
        "../../etc/passwd",
        "C:\\Windows\\x.pdf",
        "tab\there.pdf",
        "new\nline.pdf",
        "cr\r.pdf",
        "del\x7f.pdf",
        "nul-free but C1 \xc2\x85.pdf", /* U+0085 NEXT LINE */
        "invoice\xe2\x80\xae"
        "fdp.exe",                  /* U+202E RIGHT-TO-LEFT OVERRIDE */
        "isolate\xe2\x81\xa6x.pdf", /* U+2066 LEFT-TO-RIGHT ISOLATE */
        "mark\xe2\x80\x8f.pdf",     /* U+200F RIGHT-TO-LEFT MARK */
        "line\xe2\x80\xa8sep.pdf",  /* U+2028 LINE SEPARATOR */
        "bad utf8 \xff.pdf",
        "overlong \xc0\xaf.pdf",
        "surrogate \xed\xa0\x80.pdf",
        "truncated \xe6\x89.pdf",
    };
    struct yj_error e;
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        yj_error_clear(&e);
        if (attach_filename_check(bad[i], &e) != YJ_EINVAL)
            fail_msg("bad name #%zu accepted", i);
        assert_string_equal(e.field, "filename");
    }
    assert_int_equal(attach_filename_check(NULL, &e), YJ_EINVAL);
}

static void expect_disposition(const char *name, const char *type, const char *want)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    char *got = attach_content_disposition(&a, name, type);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%s:\n got  %s\n want %s", name, got, want);
    yj_arena_release(&a);
}

static void test_content_disposition(void **state)
{
    (void)state;
    expect_disposition("承诺书.pdf", ATTACH_TYPE_PDF,
                       "attachment; filename=\"___.pdf\"; "
                       "filename*=UTF-8''%E6%89%BF%E8%AF%BA%E4%B9%A6.pdf");
    expect_disposition("report.pdf", ATTACH_TYPE_PDF,
                       "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    /* The extension must fit the content: otherwise the right one is added. */
    expect_disposition("report.exe", ATTACH_TYPE_PDF,
                       "attachment; filename=\"report.exe.pdf\"; filename*=UTF-8''report.exe.pdf");
    expect_disposition("scan", ATTACH_TYPE_PNG,
                       "attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png");
    expect_disposition("Photo.JPEG", ATTACH_TYPE_JPEG,
                       "attachment; filename=\"Photo.JPEG\"; filename*=UTF-8''Photo.JPEG");
    expect_disposition("photo.jpg.png", ATTACH_TYPE_JPEG,
                       "attachment; filename=\"photo.jpg.png.jpg\"; "
                       "filename*=UTF-8''photo.jpg.png.jpg");
    expect_disposition("签章.ofd", ATTACH_TYPE_OFD,
                       "attachment; filename=\"__.ofd\"; filename*=UTF-8''%E7%AD%BE%E7%AB%A0.ofd");
    expect_disposition(".docx", ATTACH_TYPE_DOCX,
                       "attachment; filename=\".docx.docx\"; filename*=UTF-8''.docx.docx");
    /* Quotes, backslash-free specials and spaces: never break out of the quoted
     * fallback, always percent-encoded in filename*. */
    expect_disposition("a \"b\" 100%;x.xlsx", ATTACH_TYPE_XLSX,
                       "attachment; filename=\"a _b_ 100_;x.xlsx\"; "
                       "filename*=UTF-8''a%20%22b%22%20100%25%3Bx.xlsx");
    expect_disposition("emoji 😀.png", ATTACH_TYPE_PNG,
                       "attachment; filename=\"emoji _.png\"; "
                       "filename*=UTF-8''emoji%20%F0%9F%98%80.png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_filename_good),
        cmocka_unit_test(test_filename_bad),
        cmocka_unit_test(test_content_disposition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
