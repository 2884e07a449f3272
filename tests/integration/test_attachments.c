/*
 * test_attachments.c - application attachments through a real server: upload
 * by the owning unit (201, SHA-256 of the file, type from the bytes whatever the
 * name and Content-Type say), byte-identical download with its headers, who may
 * reach what (other units, auditor, authority, security reviewer, assigned /
 * unassigned / conflicted experts), disguised and damaged files refused with
 * nothing stored, the size limit, the draft/returned-only rule and the
 * deadline, soft delete, `yingji backup` carrying the files, and every change in
 * an intact audit chain.
 *
 * Setup goes through the real API (harness_selection.c): campaigns created and
 * opened with If-Match, applications started by the units, completed (content
 * and the attachments submission needs) and submitted. Unit A's main
 * application is submitted, its campaign moved into review once the injected
 * clock passes the deadline, put on a panel with two experts (one of whom
 * declares a conflict with it) and then returned for correction, so that it is
 * both reviewed by the panel and open to changes again.
 */
#include "harness.h"

#include <dirent.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "core/yj.h"

enum { DAY_MS = 24 * 60 * 60 * 1000, DEADLINE_MS = 5 * 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *admin, *unit_a, *unit_b, *auditor, *reviewer;
static struct hx_client *expert_assigned, *expert_conflicted, *expert_other;
static int64_t unit_a_id, unit_b_id;

/* Applications. */
static int64_t app_a;        /* unit A, returned for correction, reviewed by a panel */
static int64_t app_b;        /* unit B, draft */
static int64_t app_a_later;  /* unit A, draft until test_after_submission submits it */
static int64_t app_a_return; /* unit A, returned for correction */
static int64_t app_b_late;   /* unit B, still a draft when its campaign's deadline passed */

/* Returns a submitted application for correction, as the authority. */
static void return_for_correction(int64_t application_id)
{
    const char *etag = hx_etag(hx_application_version(admin, application_id));
    struct hx_resp *r = hx_send(
        admin, "POST", hx_fmt("/api/v1/applications/%lld/return", (long long)application_id),
        json_pack("{s:s}", "reason", "请补充盖章页"), etag);
    HX_EXPECT(r, 200);
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_login_admin(srv);
    unit_a_id = hx_unit_create(admin, hx_unit_doc("附件甲单位"));
    unit_b_id = hx_unit_create(admin, hx_unit_doc("附件乙单位"));
    unit_a = hx_user_client(admin, "unit", unit_a_id);
    unit_b = hx_user_client(admin, "unit", unit_b_id);
    auditor = hx_user_client(admin, "auditor", 0);
    reviewer = hx_user_client(admin, "security_reviewer", 0);
    expert_assigned = hx_user_client(admin, "expert", 0);
    expert_conflicted = hx_user_client(admin, "expert", 0);
    expert_other = hx_user_client(admin, "expert", 0);

    int64_t reviewed = hx_campaign_open(admin, "第二届遴选", srv->now_ms + DEADLINE_MS);
    int64_t open = hx_campaign_open(admin, "第三届遴选", srv->now_ms + 30 * (int64_t)DAY_MS);
    int64_t other = hx_campaign_open(admin, "第四届遴选", srv->now_ms + 30 * (int64_t)DAY_MS);
    app_a = hx_application_submitted(unit_a, reviewed);
    app_b = hx_application_start(unit_b, open);
    app_a_later = hx_application_start(unit_a, open);
    app_a_return = hx_application_submitted(unit_a, other);
    return_for_correction(app_a_return);
    app_b_late = hx_application_start(unit_b, reviewed);

    /* Unit A's main application goes to a panel of two experts; one declares a tie. */
    hx_clock_advance(srv, DEADLINE_MS + HX_MINUTE_MS);
    hx_campaign_stage(admin, reviewed, "review");
    int64_t experts[] = {expert_assigned->user_id, expert_conflicted->user_id};
    hx_panel_create(admin, reviewed, experts, 2, &app_a, 1);
    HX_EXPECT(hx_post(expert_conflicted,
                      hx_fmt("/api/v1/applications/%lld/conflict", (long long)app_a),
                      json_pack("{s:b,s:s}", "conflicted", 1, "statement", "曾任该单位顾问")),
              200);
    /* ... and comes back to the unit for correction, open to changes again. */
    return_for_correction(app_a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    struct hx_client *all[] = {
        admin, unit_a, unit_b, auditor, reviewer, expert_assigned, expert_conflicted, expert_other};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        hx_client_free(all[i]);
    hx_server_free(srv);
    return 0;
}

/* --- helpers ---------------------------------------------------------------------------- */

struct file {
    char *data;
    size_t len;
    char sha256[65];
};

static void file_hash(struct file *f)
{
    unsigned char h[32];
    yj_sha256(f->data, f->len, h);
    yj_hex(h, sizeof h, f->sha256);
}

/* A fixture of tests/fixtures/attach (generate.py made them); free f->data. */
static struct file fixture(const char *name)
{
    struct file f;
    f.data = hx_fixture(name, &f.len);
    file_hash(&f);
    return f;
}

static const char *list_path(int64_t application_id)
{
    return hx_fmt("/api/v1/applications/%lld/attachments", (long long)application_id);
}

static struct hx_resp *upload_as(struct hx_client *c, int64_t application_id, const char *kind,
                                 const char *filename, const void *data, size_t len,
                                 const char *content_type)
{
    return hx_send_raw(
        c, "POST",
        hx_fmt("%s?kind=%s&filename=%s", list_path(application_id), kind, hx_escape(filename)),
        content_type, data, len);
}

static struct hx_resp *upload(struct hx_client *c, int64_t application_id, const char *kind,
                              const char *filename, const struct file *f)
{
    return upload_as(c, application_id, kind, filename, f->data, f->len,
                     "application/octet-stream");
}

/* Uploads f as unit A to application_id, asserting 201; returns the attachment id. */
static int64_t upload_ok(int64_t application_id, const char *kind, const char *filename,
                         const struct file *f)
{
    struct hx_resp *r = upload(unit_a, application_id, kind, filename, f);
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static const char *one(int64_t id)
{
    return hx_fmt("/api/v1/attachments/%lld", (long long)id);
}

static const char *content(int64_t id)
{
    return hx_fmt("/api/v1/attachments/%lld/content", (long long)id);
}

/* GETs the content as c, asserting 200 and bytes identical to f. */
static struct hx_resp *download_same(struct hx_client *c, int64_t id, const struct file *f)
{
    struct hx_resp *r = hx_get(c, content(id));
    HX_EXPECT(r, 200);
    assert_int_equal(r->body_len, f->len);
    assert_memory_equal(r->body, f->data, f->len);
    return r;
}

static size_t live_count(struct hx_client *c, int64_t application_id)
{
    struct hx_resp *r = hx_get(c, list_path(application_id));
    HX_EXPECT(r, 200);
    assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
    return json_array_size(json_object_get(r->json, "items"));
}

static bool blob_exists(const char *sha256)
{
    struct stat sb;
    return stat(hx_fmt("%s/blobs/%.2s/%s", srv->data, sha256, sha256), &sb) == 0;
}

/* --- tests ------------------------------------------------------------------------------ */

static void test_upload_and_download(void **state)
{
    (void)state;
    struct file f = fixture("sample.pdf");
    /* The client says PNG; the bytes decide. */
    struct hx_resp *r = upload_as(unit_a, app_a, "commitment_letter", "承诺书（签章）.pdf", f.data,
                                  f.len, "image/png");
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    assert_string_equal(r->location, one(id));
    assert_int_equal(hx_json_int(r, "application_id"), app_a);
    assert_string_equal(hx_json_str(r, "kind"), "commitment_letter");
    assert_string_equal(hx_json_str(r, "filename"), "承诺书（签章）.pdf");
    assert_string_equal(hx_json_str(r, "media_type"), "application/pdf");
    assert_int_equal(hx_json_int(r, "size"), (int64_t)f.len);
    assert_string_equal(hx_json_str(r, "sha256"), f.sha256);
    assert_int_equal(hx_json_int(r, "uploaded_by"), unit_a->user_id);
    assert_non_null(hx_json_str(r, "uploaded_at"));
    assert_true(blob_exists(f.sha256));
    size_t stored_len = 0;
    char *stored =
        hx_read_file(hx_fmt("%s/blobs/%.2s/%s", srv->data, f.sha256, f.sha256), &stored_len);
    assert_non_null(stored);
    assert_int_equal(stored_len, f.len);
    assert_memory_equal(stored, f.data, f.len);
    free(stored);

    r = download_same(unit_a, id, &f);
    assert_string_equal(r->content_type, "application/pdf");
    assert_string_equal(hx_header(r, "Content-Disposition"),
                        "attachment; filename=\"_______.pdf\"; filename*=UTF-8''"
                        "%E6%89%BF%E8%AF%BA%E4%B9%A6%EF%BC%88%E7%AD%BE%E7%AB%A0%EF%BC%89.pdf");
    assert_string_equal(hx_header(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(r->etag, hx_fmt("\"%s\"", f.sha256));
    bool no_store = false, private = false;
    for (size_t i = 0; i < r->n_headers; i++) {
        no_store |= strcasecmp(r->headers[i], "Cache-Control: no-store") == 0;
        private |= strcasecmp(r->headers[i], "Cache-Control: private") == 0;
    }
    assert_true(no_store && private);
    assert_non_null(strstr(hx_header(r, "Content-Security-Policy"), "sandbox"));

    r = hx_get(unit_a, one(id));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "sha256"), f.sha256);
    assert_true(live_count(unit_a, app_a) >= 1);

    /* Query rules for the name: %2B is a plus, a bare + a space. */
    struct hx_req raw = {.body = f.data, .body_len = f.len};
    r = hx_request(unit_a, "POST",
                   hx_fmt("%s?kind=other&filename=C%%2B%%2B+notes.pdf", list_path(app_a)), &raw);
    HX_EXPECT(r, 201);
    assert_string_equal(hx_json_str(r, "filename"), "C++ notes.pdf");
    free(f.data);
}

static void test_every_accepted_type(void **state)
{
    (void)state;
    static const struct {
        const char *fixture, *kind, *name, *type;
    } cases[] = {
        {"sample.png", "staff_certificates", "证书.png", "image/png"},
        {"sample.jpg", "qualification_scans", "资质.jpg", "image/jpeg"},
        {"sample.docx", "response_commitment", "应急响应承诺书.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"sample.xlsx", "audit_report", "审计.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"sample.ofd", "legal_documents", "营业执照.ofd", "application/ofd"},
        /* Named like something else: stored as what it is, downloaded with its extension. */
        {"sample.png", "other", "scan.pdf", "image/png"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct file f = fixture(cases[i].fixture);
        struct hx_resp *r = upload(unit_a, app_a, cases[i].kind, cases[i].name, &f);
        HX_EXPECT(r, 201);
        assert_string_equal(hx_json_str(r, "media_type"), cases[i].type);
        assert_string_equal(hx_json_str(r, "sha256"), f.sha256);
        r = download_same(unit_a, hx_json_int(r, "id"), &f);
        assert_string_equal(r->content_type, cases[i].type);
        free(f.data);
    }
    struct file f = fixture("sample.png");
    struct hx_resp *r = upload(unit_a, app_a, "other", "scan.pdf", &f);
    r = hx_get(unit_a, content(hx_json_int(r, "id")));
    assert_non_null(strstr(hx_header(r, "Content-Disposition"), "filename*=UTF-8''scan.pdf.png"));
    free(f.data);
    /* Paging over the list, two at a time, gives the same items in id order. */
    json_t *paged = hx_list_all(unit_a, list_path(app_a), 2);
    assert_int_equal(json_array_size(paged), live_count(unit_a, app_a));
    for (size_t i = 1; i < json_array_size(paged); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(paged, i), "id")) >
                    json_integer_value(json_object_get(json_array_get(paged, i - 1), "id")));
    json_decref(paged);
}

static void test_other_unit_sees_nothing(void **state)
{
    (void)state;
    struct file f = fixture("sample.pdf");
    int64_t id = upload_ok(app_a, "project_evidence", "合同.pdf", &f);
    HX_EXPECT_ERROR(hx_get(unit_b, list_path(app_a)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_b, one(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_b, content(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(upload(unit_b, app_a, "other", "x.pdf", &f), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_request(unit_b, "DELETE", one(id), NULL), 404, "not_found", NULL);
    /* ... and the same the other way round, and for what does not exist at all. */
    HX_EXPECT_ERROR(upload(unit_a, app_b, "other", "x.pdf", &f), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_a, list_path(app_b)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_a, list_path(999)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(upload(unit_a, 999, "other", "x.pdf", &f), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_a, one(999999)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(unit_a, content(999999)), 404, "not_found", NULL);
    /* Unit B's own application is its own business. */
    struct hx_resp *r = upload(unit_b, app_b, "other", "乙.pdf", &f);
    HX_EXPECT(r, 201);
    HX_EXPECT_ERROR(hx_get(unit_a, one(hx_json_int(r, "id"))), 404, "not_found", NULL);
    free(f.data);
}

static void test_roles(void **state)
{
    (void)state;
    struct file f = fixture("sample.jpg");
    int64_t id = upload_ok(app_a, "staff_certificates", "CISP.jpg", &f);
    /* Read-only oversight and the authority read everything. */
    download_same(auditor, id, &f);
    download_same(admin, id, &f);
    HX_EXPECT(hx_get(auditor, list_path(app_a)), 200);
    HX_EXPECT(hx_get(admin, one(id)), 200);
    /* The background review sees who and what, never the attachments. */
    HX_EXPECT_ERROR(hx_get(reviewer, list_path(app_a)), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_get(reviewer, one(id)), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_get(reviewer, content(id)), 403, "forbidden", NULL);
    /* Experts: only what their panel reviews, and not when conflicted. */
    download_same(expert_assigned, id, &f);
    HX_EXPECT(hx_get(expert_assigned, list_path(app_a)), 200);
    HX_EXPECT_ERROR(hx_get(expert_conflicted, content(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(expert_conflicted, list_path(app_a)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(expert_other, content(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(expert_other, one(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(expert_other, list_path(app_a)), 404, "not_found", NULL);
    /* Only the unit itself adds or removes its attachments. */
    struct hx_client *others[] = {admin, auditor, reviewer, expert_assigned};
    for (size_t i = 0; i < YJ_ARRAY_LEN(others); i++) {
        HX_EXPECT_ERROR(upload(others[i], app_a, "other", "x.jpg", &f), 403, "forbidden", NULL);
        HX_EXPECT_ERROR(hx_request(others[i], "DELETE", one(id), NULL), 403, "forbidden", NULL);
    }
    /* Not logged in: nothing at all. */
    struct hx_client *anon = hx_client_new(srv);
    HX_EXPECT(hx_get(anon, content(id)), 401);
    HX_EXPECT(upload(anon, app_a, "other", "x.jpg", &f), 401);
    hx_client_free(anon);
    free(f.data);
}

/* Refused uploads leave no row, no audit record and no blob. */
static void expect_nothing_stored(int64_t audit_before, size_t live_before, const char *sha256)
{
    assert_int_equal(hx_audit_length(admin), audit_before);
    assert_int_equal(live_count(unit_a, app_a), live_before);
    if (sha256)
        assert_false(blob_exists(sha256));
}

static void test_disguised_and_bad_input(void **state)
{
    (void)state;
    int64_t audit_before = hx_audit_length(admin);
    size_t live_before = live_count(unit_a, app_a);
    static const char *const refused[] = {
        "elf-named.pdf", "exe-named.pdf", "html-named.png", "svg-named.png",    "empty.pdf",
        "truncated.pdf", "truncated.png", "zip-named.docx", "macro-named.docx",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(refused); i++) {
        struct file f = fixture(refused[i]);
        struct hx_resp *r = upload(unit_a, app_a, "commitment_letter", refused[i], &f);
        HX_EXPECT_ERROR(r, 400, "invalid", "file");
        expect_nothing_stored(audit_before, live_before, f.len ? f.sha256 : NULL);
        free(f.data);
    }
    struct file exe = fixture("exe-named.pdf");
    struct hx_resp *r = upload(unit_a, app_a, "commitment_letter", "承诺书.pdf", &exe);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(r->json, "error"), "message")),
               "not accepted"));
    free(exe.data);

    struct file f = fixture("sample.pdf");
    HX_EXPECT_ERROR(upload(unit_a, app_a, "passport", "x.pdf", &f), 400, "invalid", "kind");
    HX_EXPECT_ERROR(hx_request(unit_a, "POST", hx_fmt("%s?filename=x.pdf", list_path(app_a)),
                               &(struct hx_req){.body = f.data, .body_len = f.len}),
                    400, "invalid", "kind");
    HX_EXPECT_ERROR(upload(unit_a, app_a, "other", "../x.pdf", &f), 400, "invalid", "filename");
    HX_EXPECT_ERROR(upload(unit_a, app_a, "other",
                           "evil\xe2\x80\xae"
                           "fdp.exe",
                           &f),
                    400, "invalid", "filename");
    HX_EXPECT_ERROR(hx_request(unit_a, "POST", hx_fmt("%s?kind=other", list_path(app_a)),
                               &(struct hx_req){.body = f.data, .body_len = f.len}),
                    400, "invalid", "filename");
    HX_EXPECT_ERROR(hx_request(unit_a, "POST",
                               hx_fmt("%s?kind=other&filename=x.pdf&sha256=0", list_path(app_a)),
                               &(struct hx_req){.body = f.data, .body_len = f.len}),
                    400, "invalid", "sha256");
    expect_nothing_stored(audit_before, live_before, NULL);
    free(f.data);
}

static void test_size_limit(void **state)
{
    (void)state;
    int64_t audit_before = hx_audit_length(admin);
    size_t live_before = live_count(unit_a, app_a);
    /* A PDF of exactly 20 MiB goes through, and comes back whole. */
    struct file f = {.len = 20u << 20};
    f.data = malloc(f.len + 1);
    assert_non_null(f.data);
    memset(f.data, 'x', f.len + 1);
    memcpy(f.data, "%PDF-1.4\n%", 10);
    memcpy(f.data + f.len - 7, "\n%%EOF\n", 7);
    file_hash(&f);
    int64_t id = upload_ok(app_a, "risk_assessment_report", "大报告.pdf", &f);
    download_same(unit_a, id, &f);
    audit_before++;
    live_before++;
    /* One byte more: 413, announced or chunked, and nothing stored. */
    f.len++;
    memcpy(f.data + f.len - 7, "\n%%EOF\n", 7);
    file_hash(&f);
    HX_EXPECT_ERROR(upload(unit_a, app_a, "risk_assessment_report", "太大.pdf", &f), 413,
                    "too_large", "body");
    struct hx_req chunked = {.body = f.data, .body_len = f.len, .chunked = true};
    HX_EXPECT_ERROR(hx_request(unit_a, "POST",
                               hx_fmt("%s?kind=other&filename=big.pdf", list_path(app_a)),
                               &chunked),
                    413, "too_large", "body");
    expect_nothing_stored(audit_before, live_before, f.sha256);
    free(f.data);
}

static void test_delete(void **state)
{
    (void)state;
    struct file f = fixture("sample.docx");
    int64_t id = upload_ok(app_a, "other", "待删除.docx", &f);
    size_t live = live_count(unit_a, app_a);
    struct hx_resp *r = hx_request(unit_a, "DELETE", one(id), NULL);
    HX_EXPECT(r, 204);
    assert_int_equal(live_count(unit_a, app_a), live - 1);
    json_t *items = json_object_get(hx_get(unit_a, list_path(app_a))->json, "items");
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it)
        assert_int_not_equal(json_integer_value(json_object_get(it, "id")), id);
    HX_EXPECT_ERROR(hx_get(unit_a, one(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(admin, content(id)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_request(unit_a, "DELETE", one(id), NULL), 404, "not_found", NULL);
    /* The bytes stay: another row or a frozen version may use them. */
    assert_true(blob_exists(f.sha256));
    free(f.data);
}

static void test_returned_takes_changes(void **state)
{
    (void)state;
    struct file f = fixture("sample.ofd");
    int64_t id = upload_ok(app_a_return, "commitment_letter", "承诺书.ofd", &f);
    HX_EXPECT(hx_request(unit_a, "DELETE", one(id), NULL), 204);
    free(f.data);
}

static void test_after_submission(void **state)
{
    (void)state;
    struct file f = fixture("sample.pdf");
    int64_t id = upload_ok(app_a_later, "risk_assessment_report", "报告一.pdf", &f);
    /* The content and the seven files submission requires, then the submission itself. */
    hx_application_complete(unit_a, app_a_later);
    hx_application_submit(unit_a, app_a_later);
    int64_t audit_before = hx_audit_length(admin);
    HX_EXPECT_ERROR(upload(unit_a, app_a_later, "other", "迟到.pdf", &f), 409, "conflict",
                    "status");
    HX_EXPECT_ERROR(hx_request(unit_a, "DELETE", one(id), NULL), 409, "conflict", "status");
    /* Another unit still learns nothing, not even the status. */
    HX_EXPECT_ERROR(hx_request(unit_b, "DELETE", one(id), NULL), 404, "not_found", NULL);
    download_same(unit_a, id, &f);
    assert_int_equal(live_count(unit_a, app_a_later), 1 + 7);
    assert_int_equal(hx_audit_length(admin), audit_before);
    free(f.data);
}

/* A draft whose deadline passed takes no more files: they are part of it. */
static void test_after_deadline(void **state)
{
    (void)state;
    struct file f = fixture("sample.pdf");
    int64_t audit_before = hx_audit_length(admin);
    HX_EXPECT_ERROR(upload(unit_b, app_b_late, "other", "迟到.pdf", &f), 409, "conflict",
                    "deadline_at");
    assert_int_equal(live_count(unit_b, app_b_late), 0);
    assert_int_equal(hx_audit_length(admin), audit_before);
    free(f.data);
}

/* How many blob files (64 hex digits under a two-digit directory) are under dir/blobs. */
static size_t blob_count(const char *dir)
{
    size_t n = 0;
    for (int i = 0; i < 256; i++) {
        DIR *d = opendir(hx_fmt("%s/blobs/%02x", dir, i));
        struct dirent *e;
        while (d && (e = readdir(d)))
            n += strlen(e->d_name) == 64;
        if (d)
            closedir(d);
    }
    return n;
}

/* The backup taken while the server runs carries every file its database names,
 * byte for byte, and a second one into the same place copies nothing again. */
static void test_backup_carries_files(void **state)
{
    (void)state;
    /* Own copies: hx_fmt's buffers rotate. */
    char dir[HX_PATH_MAX], to[HX_PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/backup", srv->root);
    snprintf(to, sizeof to, "%s/yingji.db", dir);
    hx_make_dir(dir);
    char *out = NULL;
    int rc = hx_yingji(&out, "backup", "--data", srv->data, "--to", to, (char *)NULL);
    if (rc != 0)
        fail_msg("yingji backup exited %d: %s", rc, out);
    assert_non_null(strstr(out, "copied"));
    free(out);
    size_t stored = blob_count(srv->data);
    assert_true(stored > 0); /* one per content, however often uploaded */
    assert_int_equal(blob_count(dir), stored);

    /* Every live attachment row of the copy has its file there, with its hash. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(to, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sha256, size FROM attachments", -1, &st, NULL),
                     SQLITE_OK);
    size_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        size_t len = 0;
        char *bytes = hx_read_file(hx_fmt("%s/blobs/%.2s/%s", dir, hex, hex), &len);
        if (!bytes)
            fail_msg("the backup lacks the file %s", hex);
        assert_int_equal(len, (size_t)sqlite3_column_int64(st, 1));
        unsigned char h[32];
        char got[65];
        yj_sha256(bytes, len, h);
        yj_hex(h, sizeof h, got);
        assert_string_equal(got, hex);
        free(bytes);
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(rows >= 8);

    out = NULL;
    rc = hx_yingji(&out, "backup", "--data", srv->data, "--to", to, (char *)NULL);
    if (rc != 0)
        fail_msg("second yingji backup exited %d: %s", rc, out);
    assert_non_null(strstr(out, "0 copied"));
    free(out);
}

static void test_audit_chain(void **state)
{
    (void)state;
    json_t *records = hx_list_all(admin, "/api/v1/audit?object_type=attachment", 200);
    size_t uploads = 0, deletes = 0, i;
    json_t *rec;
    json_array_foreach (records, i, rec) {
        const char *action = json_string_value(json_object_get(rec, "action"));
        json_t *changes = json_object_get(rec, "changes");
        assert_non_null(json_object_get(changes, "kind"));
        assert_non_null(json_object_get(changes, "filename"));
        assert_non_null(json_object_get(changes, "sha256"));
        if (strcmp(action, "attachment.upload") == 0) {
            uploads++;
            assert_true(json_is_integer(json_object_get(changes, "size")));
            assert_true(json_is_string(json_object_get(changes, "media_type")));
        } else {
            assert_string_equal(action, "attachment.delete");
            deletes++;
        }
    }
    /* Every test above (this one runs last) uploaded at least once and deleted twice. */
    assert_true(uploads >= 13);
    assert_int_equal(deletes, 2);
    json_decref(records);
    char *out = NULL;
    int rc = hx_audit_verify(srv->data, &out);
    if (rc != 0)
        fail_msg("audit verify: %s", out);
    free(out);
    hx_server_assert_log_clean(srv);
}

static void test_reference_kinds(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(expert_other, "/api/v1/reference/attachment-kinds");
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 9);
    json_t *risk = json_array_get(items, 7);
    assert_string_equal(json_string_value(json_object_get(risk, "code")), "risk_assessment_report");
    assert_string_equal(json_string_value(json_object_get(risk, "name_zh")), "风险评估报告");
    assert_int_equal(json_integer_value(json_object_get(risk, "min_at_submission")), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upload_and_download),
        cmocka_unit_test(test_every_accepted_type),
        cmocka_unit_test(test_other_unit_sees_nothing),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_disguised_and_bad_input),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_returned_takes_changes),
        cmocka_unit_test(test_after_submission),
        cmocka_unit_test(test_after_deadline),
        cmocka_unit_test(test_backup_carries_files),
        cmocka_unit_test(test_reference_kinds),
        cmocka_unit_test(test_audit_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
