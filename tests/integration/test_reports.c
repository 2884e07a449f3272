/*
 * test_reports.c - an incident's evidence and its upward reports through a real
 * server with an injected clock.
 *
 * Evidence: the authority and two units dispatched to the incident add files; the
 * chain links them (the test recomputes an entry's hash from the documented
 * encoding), each unit sees the authority's entries and its own, a download gives
 * back the bytes uploaded, and a unit that takes no part reaches nothing.
 *
 * Reports: a 重大 incident of a critical-information-infrastructure operator owes
 * the first report within 60 minutes of discovery and its pass-on within 30
 * minutes of the first being sent; the countdowns follow the clock; the first
 * report goes with its first two items only, a follow-up brings the rest, the
 * final report comes after resolution; PDF and JSON exports. A 一般 incident owes
 * nothing.
 */
#include <sodium.h>
#include <string.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin;
static int64_t unit[3];
static struct hx_client *unit_user[3];

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    for (int i = 0; i < 3; i++) {
        unit[i] = hx_unit_create(admin, hx_unit_doc("贵州证据报告测试单位"));
        unit_user[i] = hx_tokened(srv, hx_user_client(admin, "unit", unit[i]));
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        hx_client_free(unit_user[i]);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

static const char *inc_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/incidents/%lld%s", (long long)id, rest);
}

static const char *report_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/reports/%lld%s", (long long)id, rest);
}

static int64_t new_incident(const char *title, const char *operator_type, int64_t discovered_at)
{
    struct hx_resp *r = hx_post(
        admin, "/api/v1/incidents",
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", title, "affected_org",
                  "六盘水市某供电公司", "affected_system", "电力调度系统", "operator_type",
                  operator_type, "province", "贵州省", "city", "六盘水市", "discovered_at",
                  hx_time(discovered_at), "source", "monitoring_alert", "class_code", "OTH"));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static const char *etag_of(int64_t id)
{
    struct hx_resp *r = hx_get(admin, inc_path(id, ""));
    HX_EXPECT(r, 200);
    return hx_fmt("%s", r->etag);
}

/* Grades with facts and asserts the level the helper proposed and the person confirmed. */
static void grade(int64_t id, json_t *facts, const char *want)
{
    struct hx_resp *r = hx_send(admin, "POST", inc_path(id, "/grade"),
                                json_pack("{s:o}", "facts", facts), etag_of(id));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "level"), want);
}

/* A time the API shows (RFC 3339) back in ms. */
static int64_t time_of(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    int64_t ms = 0;
    if (!v || yj_time_parse(v, &ms) != 0)
        fail_msg("%s is not a time", key);
    return ms;
}

static int64_t int_of(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

/* --- evidence ------------------------------------------------------------------------- */

static struct hx_resp *add_evidence(struct hx_client *c, int64_t id, const char *filename,
                                    const char *note, const void *data, size_t len)
{
    const char *path =
        note ? hx_fmt("%s?filename=%s&note=%s", inc_path(id, "/evidence"), hx_escape(filename),
                      hx_escape(note))
             : hx_fmt("%s?filename=%s", inc_path(id, "/evidence"), hx_escape(filename));
    return hx_send_raw(c, "POST", path, "application/octet-stream", data, len);
}

static void put_netstring(crypto_hash_sha256_state *st, const char *s)
{
    char len[24];
    int k = snprintf(len, sizeof len, "%zu:", strlen(s));
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(st, (const unsigned char *)s, strlen(s));
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

/* The entry hash as docs/api-reports.md defines it, from an entry as the API shows it. */
static const char *expected_hash(const json_t *e)
{
    crypto_hash_sha256_state st;
    unsigned char d[32];
    crypto_hash_sha256_init(&st);
    put_netstring(&st, "yingji.evidence.v1");
    put_netstring(&st, json_string_value(json_object_get(e, "prev_hash")));
    put_netstring(&st, hx_fmt("%lld", (long long)int_of(e, "incident_id")));
    put_netstring(&st, hx_fmt("%lld", (long long)int_of(e, "seq")));
    put_netstring(&st, json_string_value(json_object_get(e, "sha256")));
    put_netstring(&st, json_string_value(json_object_get(e, "filename")));
    put_netstring(&st, hx_fmt("%lld", (long long)int_of(e, "size")));
    put_netstring(&st, hx_fmt("%lld", (long long)int_of(e, "added_by")));
    put_netstring(&st, hx_fmt("%lld", (long long)time_of(e, "added_at")));
    crypto_hash_sha256_final(&st, d);
    char hex[65];
    yj_hex(d, sizeof d, hex);
    return hx_fmt("%s", hex);
}

/* The seqs of GET …/evidence as c, and chain_ok. */
static size_t seqs_seen(struct hx_client *c, int64_t id, int64_t *seqs, size_t max, bool *ok)
{
    struct hx_resp *r = hx_get(c, inc_path(id, "/evidence"));
    HX_EXPECT(r, 200);
    *ok = json_is_true(json_object_get(r->json, "chain_ok"));
    json_t *items = json_object_get(r->json, "items");
    size_t i, n = 0;
    json_t *e;
    json_array_foreach (items, i, e) {
        assert_true(n < max);
        seqs[n++] = int_of(e, "seq");
        assert_string_equal(json_string_value(json_object_get(e, "entry_hash")), expected_hash(e));
    }
    return n;
}

static void test_evidence_chain(void **state)
{
    (void)state;
    int64_t id = new_incident("某单位门户网站数据泄露", "other", srv->now_ms - 30 * HX_MINUTE_MS);
    grade(id, json_pack("{s:s,s:s}", "importance", "important", "loss", "serious"), "significant");
    HX_EXPECT(hx_post(admin, inc_path(id, "/dispatches"),
                      json_pack("{s:[I,I]}", "unit_ids", (json_int_t)unit[0], (json_int_t)unit[1])),
              201);
    size_t pdf_len, png_len, jpg_len;
    char *pdf = hx_fixture("sample.pdf", &pdf_len);
    char *png = hx_fixture("sample.png", &png_len);
    char *jpg = hx_fixture("sample.jpg", &jpg_len);

    /* The authority's entry starts the chain. */
    struct hx_resp *r = add_evidence(admin, id, "受害主机日志摘要.pdf", "现场提取", pdf, pdf_len);
    HX_EXPECT(r, 201);
    assert_int_equal(hx_json_int(r, "seq"), 1);
    assert_int_equal(hx_json_int(r, "incident_id"), id);
    assert_string_equal(hx_json_str(r, "prev_hash"), "");
    assert_string_equal(hx_json_str(r, "media_type"), "application/pdf");
    assert_string_equal(hx_json_str(r, "note"), "现场提取");
    assert_int_equal(hx_json_int(r, "size"), (int64_t)pdf_len);
    assert_int_equal(hx_json_int(r, "added_by"), 1);
    assert_string_equal(hx_json_str(r, "added_by_name"), HX_ADMIN_USER);
    assert_true(json_is_null(json_object_get(r->json, "unit_id")));
    assert_int_equal(time_of(r->json, "added_at"), srv->now_ms);
    assert_string_equal(hx_json_str(r, "entry_hash"), expected_hash(r->json));
    unsigned char d[32];
    char hex[65];
    yj_sha256(pdf, pdf_len, d);
    yj_hex(d, sizeof d, hex);
    assert_string_equal(hx_json_str(r, "sha256"), hex);
    assert_non_null(r->location);
    const char *first_hash = hx_fmt("%s", hx_json_str(r, "entry_hash"));

    /* Each dispatched unit adds its own; each entry points at the one before. */
    hx_clock_advance(srv, HX_MINUTE_MS);
    r = add_evidence(unit_user[0], id, "流量截图.png", NULL, png, png_len);
    HX_EXPECT(r, 201);
    assert_int_equal(hx_json_int(r, "seq"), 2);
    assert_string_equal(hx_json_str(r, "prev_hash"), first_hash);
    assert_int_equal(hx_json_int(r, "unit_id"), unit[0]);
    assert_true(json_is_null(json_object_get(r->json, "note")));
    r = add_evidence(unit_user[1], id, "机房照片.jpg", "乙单位拍摄", jpg, jpg_len);
    HX_EXPECT(r, 201);
    assert_int_equal(hx_json_int(r, "seq"), 3);
    assert_int_equal(hx_json_int(r, "unit_id"), unit[1]);

    /* Refused: a bad name, an empty file; nothing is written. (Any type is evidence:
     * logs, captures and samples are what is found; the type is recorded.) */
    HX_EXPECT_ERROR(add_evidence(admin, id, "../etc/passwd", NULL, pdf, pdf_len), 400, "invalid",
                    "filename");
    HX_EXPECT_ERROR(add_evidence(admin, id, "空.pdf", NULL, "", 0), 400, "invalid", "file");
    HX_EXPECT_ERROR(hx_send_raw(unit_user[0], "POST",
                                hx_fmt("%s?filename=a.pdf&kind=x", inc_path(id, "/evidence")),
                                "application/pdf", pdf, pdf_len),
                    400, "invalid", "kind");
    /* Unit 0 adds a second file: seq 4. */
    HX_EXPECT(add_evidence(unit_user[0], id, "第二份日志.pdf", NULL, pdf, pdf_len), 201);

    /* The authority sees every entry; a unit the authority's and its own. */
    int64_t seqs[8];
    bool ok = false;
    size_t n = seqs_seen(admin, id, seqs, 8, &ok);
    assert_true(ok);
    assert_int_equal(n, 4);
    n = seqs_seen(unit_user[0], id, seqs, 8, &ok);
    assert_true(ok);
    assert_int_equal(n, 3);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(seqs[1], 2);
    assert_int_equal(seqs[2], 4);
    n = seqs_seen(unit_user[1], id, seqs, 8, &ok);
    assert_true(ok);
    assert_int_equal(n, 2);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(seqs[1], 3);

    /* Downloads give back the bytes; another unit's entry is not there for a unit. */
    r = hx_get(unit_user[0], inc_path(id, "/evidence/2/content"));
    HX_EXPECT(r, 200);
    assert_int_equal(r->body_len, png_len);
    assert_memory_equal(r->body, png, png_len);
    assert_string_equal(r->content_type, "image/png");
    assert_non_null(strstr(hx_header(r, "Content-Disposition"), "attachment"));
    r = hx_get(unit_user[1], inc_path(id, "/evidence/1/content"));
    HX_EXPECT(r, 200);
    assert_memory_equal(r->body, pdf, pdf_len);
    /* Served like an attachment (api_send_blob): the file's SHA-256 as ETag, never run. */
    assert_string_equal(r->etag, hx_fmt("\"%s\"", hex));
    assert_string_equal(hx_header(r, "Content-Security-Policy"), "default-src 'none'; sandbox");
    HX_EXPECT_ERROR(hx_get(unit_user[1], inc_path(id, "/evidence/2/content")), 404, "not_found",
                    NULL);
    HX_EXPECT_ERROR(hx_get(unit_user[0], inc_path(id, "/evidence/3/content")), 404, "not_found",
                    NULL);
    HX_EXPECT_ERROR(hx_get(admin, inc_path(id, "/evidence/99/content")), 404, "not_found", NULL);
    r = hx_get(admin, inc_path(id, "/evidence/3/content"));
    HX_EXPECT(r, 200);
    assert_memory_equal(r->body, jpg, jpg_len);

    /* A unit that takes no part reaches nothing. */
    HX_EXPECT_ERROR(hx_get(unit_user[2], inc_path(id, "/evidence")), 404, "not_found", NULL);
    HX_EXPECT_ERROR(add_evidence(unit_user[2], id, "x.pdf", NULL, pdf, pdf_len), 404, "not_found",
                    NULL);
    HX_EXPECT_ERROR(hx_get(unit_user[2], inc_path(id, "/evidence/1/content")), 404, "not_found",
                    NULL);

    /* The timeline and the audit chain record each addition. */
    r = hx_get(admin, inc_path(id, ""));
    assert_non_null(strstr(r->body, "\"kind\":\"evidence_added\""));
    json_t *audit = hx_list_all(
        admin, hx_fmt("/api/v1/audit?object_type=incident&object_id=%lld", (long long)id), 200);
    size_t i, added = 0;
    json_t *rec;
    json_array_foreach (audit, i, rec)
        added += strcmp(json_string_value(json_object_get(rec, "action")), "evidence.add") == 0;
    assert_int_equal(added, 4);
    json_decref(audit);
    /* Paging over seq. */
    r = hx_get(admin, inc_path(id, "/evidence?limit=2"));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    assert_string_equal(hx_json_str(r, "next_cursor"), "2");
    free(pdf);
    free(png);
    free(jpg);
}

/* --- upward reports --------------------------------------------------------------------- */

/* The obligation of kind in GET …/reporting. */
static json_t *duty(struct hx_resp *r, const char *kind)
{
    size_t i;
    json_t *o;
    json_array_foreach (json_object_get(r->json, "obligations"), i, o)
        if (strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0)
            return o;
    fail_msg("no %s obligation", kind);
    return NULL;
}

static struct hx_resp *new_report(int64_t id, const char *kind, json_t *content)
{
    return hx_post(admin, inc_path(id, "/reports"),
                   json_pack("{s:s,s:o}", "kind", kind, "content", content));
}

static void test_major_cii_reporting(void **state)
{
    (void)state;
    int64_t t0 = srv->now_ms;
    int64_t found = t0 - 10 * HX_MINUTE_MS;
    int64_t id = new_incident("某省电网调度系统遭勒索软件攻击", "cii", found);
    /* Not graded yet: nothing applies, and no report can be drafted. */
    struct hx_resp *r = hx_get(admin, inc_path(id, "/reporting"));
    HX_EXPECT(r, 200);
    assert_false(json_is_true(json_object_get(r->json, "applies")));
    grade(id,
          json_pack("{s:s,s:s,s:I}", "importance", "important", "loss", "larger",
                    "personal_records", (json_int_t)12000000),
          "major");

    /* 重大, CII: first report within 60 minutes of discovery, the pass-on within 30 of
     * its sending, the final report 30 days after resolution. */
    r = hx_get(admin, inc_path(id, "/reporting"));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "applies")));
    assert_string_equal(hx_json_str(r, "level"), "major");
    assert_string_equal(hx_json_str(r, "operator_type"), "cii");
    assert_string_equal(hx_json_str(r, "recipient_zh"), "保护工作部门和公安机关");
    assert_int_equal(json_array_size(json_object_get(r->json, "obligations")), 3);
    json_t *first = duty(r, "first");
    assert_int_equal(time_of(first, "due_at"), found + 60 * HX_MINUTE_MS);
    assert_int_equal(int_of(first, "remaining_ms"), 50 * HX_MINUTE_MS);
    assert_string_equal(json_string_value(json_object_get(first, "status")), "pending");
    assert_true(json_is_null(json_object_get(first, "report_id")));
    json_t *pass = duty(r, "pass_on");
    assert_true(json_is_null(json_object_get(pass, "due_at")));
    assert_true(json_is_null(json_object_get(pass, "remaining_ms")));
    assert_true(json_is_null(json_object_get(duty(r, "final"), "due_at")));

    /* The countdown follows the clock. */
    hx_clock_advance(srv, 20 * HX_MINUTE_MS);
    r = hx_get(admin, inc_path(id, "/reporting"));
    assert_int_equal(int_of(duty(r, "first"), "remaining_ms"), 30 * HX_MINUTE_MS);

    /* The form. */
    r = hx_get(admin, "/api/v1/reference/report-forms");
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "report");
    assert_int_equal(json_array_size(items), 8);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "code")),
                        "unit_system");
    assert_int_equal(int_of(json_array_get(items, 1), "stage"), 1);
    assert_int_equal(int_of(json_array_get(items, 2), "stage"), 2);
    assert_int_equal(json_array_size(json_object_get(r->json, "final")), 6);

    /* The first report, drafted with one item; refused twice over; then sent with
     * its first two items only. */
    HX_EXPECT_ERROR(new_report(id, "first", json_pack("{s:s}", "bogus", "x")), 400, "invalid",
                    "content.bogus");
    HX_EXPECT_ERROR(new_report(id, "urgent", json_object()), 400, "invalid", "kind");
    r = new_report(id, "first", json_pack("{s:s}", "unit_system", "某省电力公司，电力调度系统"));
    HX_EXPECT(r, 201);
    int64_t rep_first = hx_json_int(r, "id");
    assert_string_equal(r->etag, "\"1\"");
    assert_non_null(r->location);
    assert_string_equal(hx_json_str(r, "kind"), "first");
    assert_string_equal(hx_json_str(r, "recipient_zh"), "保护工作部门和公安机关");
    assert_int_equal(time_of(r->json, "due_at"), found + 60 * HX_MINUTE_MS);
    assert_false(json_is_true(json_object_get(r->json, "stage1")));
    assert_false(json_is_true(json_object_get(r->json, "complete")));
    assert_true(json_is_null(json_object_get(r->json, "sent_at")));
    HX_EXPECT_ERROR(new_report(id, "first", json_object()), 409, "conflict", "kind");
    HX_EXPECT_ERROR(hx_post(admin, report_path(rep_first, "/send"), NULL), 422, "incomplete",
                    "content.discovery");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", report_path(rep_first, ""),
                            json_pack("{s:{s:s}}", "content", "discovery", "x"), NULL),
                    428, "precondition_required", "If-Match");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", report_path(rep_first, ""),
                            json_pack("{s:{s:s}}", "content", "discovery", "x"), hx_etag(7)),
                    412, "precondition_failed", "If-Match");
    r = hx_send(admin, "PATCH", report_path(rep_first, ""),
                json_pack("{s:{s:s}}", "content", "discovery",
                          "2026年6月1日 07:50 监测发现调度主站服务器被加密，勒索赎金 50 BTC"),
                hx_etag(1));
    HX_EXPECT(r, 200);
    assert_string_equal(r->etag, "\"2\"");
    assert_true(json_is_true(json_object_get(r->json, "stage1")));
    assert_false(json_is_true(json_object_get(r->json, "complete")));
    assert_non_null(json_object_get(json_object_get(r->json, "content"), "unit_system"));

    /* The pass-on may be drafted now, but its clock starts when the first is sent. */
    r = new_report(id, "pass_on",
                   json_pack("{s:s,s:s}", "unit_system", "同首报", "discovery", "同首报"));
    HX_EXPECT(r, 201);
    int64_t rep_pass = hx_json_int(r, "id");
    assert_true(json_is_null(json_object_get(r->json, "due_at")));
    assert_string_equal(hx_json_str(r, "recipient_zh"), "上级主管部门");
    HX_EXPECT_ERROR(hx_post(admin, report_path(rep_pass, "/send"), NULL), 409, "conflict", "kind");

    hx_clock_advance(srv, 5 * HX_MINUTE_MS);
    int64_t sent_first = srv->now_ms;
    r = hx_post(admin, report_path(rep_first, "/send"), NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(time_of(r->json, "sent_at"), sent_first);
    assert_int_equal(hx_json_int(r, "sent_by"), 1);
    HX_EXPECT_ERROR(hx_post(admin, report_path(rep_first, "/send"), NULL), 409, "conflict",
                    "sent_at");
    HX_EXPECT_ERROR(hx_send(admin, "PATCH", report_path(rep_first, ""),
                            json_pack("{s:{s:s}}", "content", "cause", "x"), hx_etag(3)),
                    409, "conflict", "sent_at");

    r = hx_get(admin, inc_path(id, "/reporting"));
    first = duty(r, "first");
    assert_string_equal(json_string_value(json_object_get(first, "status")), "sent_on_time");
    assert_int_equal(int_of(first, "report_id"), rep_first);
    assert_int_equal(time_of(first, "sent_at"), sent_first);
    assert_true(json_is_null(json_object_get(first, "remaining_ms")));
    pass = duty(r, "pass_on");
    assert_int_equal(time_of(pass, "due_at"), sent_first + 30 * HX_MINUTE_MS);
    assert_int_equal(int_of(pass, "remaining_ms"), 30 * HX_MINUTE_MS);
    assert_int_equal(int_of(pass, "report_id"), rep_pass);
    assert_string_equal(json_string_value(json_object_get(pass, "status")), "pending");
    assert_int_equal(json_array_size(json_object_get(r->json, "reports")), 2);

    /* 31 minutes on, the pass-on is overdue; sent then, it is late. */
    hx_clock_advance(srv, 31 * HX_MINUTE_MS);
    r = hx_get(admin, inc_path(id, "/reporting"));
    pass = duty(r, "pass_on");
    assert_string_equal(json_string_value(json_object_get(pass, "status")), "overdue");
    assert_int_equal(int_of(pass, "remaining_ms"), -HX_MINUTE_MS);
    r = hx_post(admin, report_path(rep_pass, "/send"), NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(time_of(r->json, "due_at"), sent_first + 30 * HX_MINUTE_MS);
    r = hx_get(admin, inc_path(id, "/reporting"));
    assert_string_equal(json_string_value(json_object_get(duty(r, "pass_on"), "status")),
                        "sent_late");

    /* A follow-up brings the rest; one with nothing in it does not go. */
    r = new_report(id, "followup", json_object());
    HX_EXPECT(r, 201);
    HX_EXPECT_ERROR(hx_post(admin, report_path(hx_json_int(r, "id"), "/send"), NULL), 422,
                    "incomplete", "content");
    r = new_report(id, "followup",
                   json_pack("{s:s,s:s,s:s,s:s,s:s}", "development", "已隔离，未扩散", "cause",
                             "VPN 弱口令被利用", "leads", "境外 IP 203.0.113.7", "next_measures",
                             "恢复备份；请求技术支援", "scene", "已镜像保全受害主机"));
    HX_EXPECT(r, 201);
    assert_false(json_is_true(json_object_get(r->json, "complete")));
    HX_EXPECT(hx_post(admin, report_path(hx_json_int(r, "id"), "/send"), NULL), 200);

    /* The final report: drafted before resolution, sent after it, and only whole. */
    r = new_report(id, "final", json_pack("{s:s}", "cause", "VPN 弱口令被利用"));
    HX_EXPECT(r, 201);
    int64_t rep_final = hx_json_int(r, "id");
    assert_true(json_is_null(json_object_get(r->json, "due_at")));
    HX_EXPECT_ERROR(hx_post(admin, report_path(rep_final, "/send"), NULL), 409, "conflict",
                    "status");
    HX_EXPECT(hx_send(admin, "POST", inc_path(id, "/status"), json_pack("{s:s}", "to", "resolved"),
                      etag_of(id)),
              200);
    int64_t resolved = srv->now_ms;
    HX_EXPECT_ERROR(hx_post(admin, report_path(rep_final, "/send"), NULL), 422, "incomplete",
                    "content.impact");
    r = hx_send(admin, "PATCH", report_path(rep_final, ""),
                json_pack("{s:{s:s,s:s,s:s,s:s,s:s}}", "content", "impact", "调度中断 3 小时",
                          "measures", "隔离、恢复", "accountability", "运维负责人通报批评",
                          "rectification", "全面启用双因素认证", "lessons", "加强口令管理"),
                hx_etag(1));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "complete")));
    assert_int_equal(time_of(r->json, "due_at"), resolved + 30LL * 24 * HX_HOUR_MS);
    hx_clock_advance(srv, HX_HOUR_MS);
    HX_EXPECT(hx_post(admin, report_path(rep_final, "/send"), NULL), 200);
    r = hx_get(admin, inc_path(id, "/reporting"));
    assert_string_equal(json_string_value(json_object_get(duty(r, "final"), "status")),
                        "sent_on_time");
    assert_int_equal(json_array_size(json_object_get(r->json, "reports")), 5);

    /* Reads: the list, one report, the timeline's sends. */
    r = hx_get(admin, inc_path(id, "/reports"));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 5);
    assert_true(json_is_null(json_object_get(r->json, "next_cursor")));
    r = hx_get(admin, report_path(rep_first, ""));
    HX_EXPECT(r, 200);
    assert_string_equal(r->etag, "\"3\"");
    r = hx_get(admin, inc_path(id, ""));
    assert_non_null(strstr(r->body, "\"kind\":\"report_sent\""));
    assert_non_null(strstr(r->body, "\"on_time\":false"));
    assert_non_null(strstr(r->body, "\"on_time\":true"));

    /* Exports: a PDF, and JSON with the incident's key facts. */
    r = hx_get(admin, report_path(rep_first, "/export?format=pdf"));
    HX_EXPECT(r, 200);
    assert_true(r->body_len > 1000);
    assert_memory_equal(r->body, "%PDF", 4);
    assert_string_equal(r->content_type, "application/pdf");
    /* An ASCII name for old clients, the Chinese one (RFC 8187) for the rest:
     * 网络安全事件报告-<id>-初次报告.pdf. */
    const char *zh = "%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8%E4%BA%8B%E4%BB%B6%E6%8A%A5%E5%91%8A-";
    const char *kind = "-%E5%88%9D%E6%AC%A1%E6%8A%A5%E5%91%8A";
    assert_string_equal(hx_header(r, "Content-Disposition"),
                        hx_fmt("attachment; filename=\"upward-report-%lld-first.pdf\"; "
                               "filename*=UTF-8''%s%lld%s.pdf",
                               (long long)rep_first, zh, (long long)rep_first, kind));
    r = hx_get(admin, report_path(rep_first, "/export?format=json"));
    HX_EXPECT(r, 200);
    assert_non_null(r->json);
    json_t *rep = json_object_get(r->json, "report");
    assert_int_equal(int_of(rep, "id"), rep_first);
    assert_int_equal(time_of(rep, "sent_at"), sent_first);
    json_t *inc = json_object_get(r->json, "incident");
    assert_string_equal(json_string_value(json_object_get(inc, "title")),
                        "某省电网调度系统遭勒索软件攻击");
    assert_string_equal(json_string_value(json_object_get(inc, "level")), "major");
    assert_int_equal(time_of(inc, "discovered_at"), found);
    HX_EXPECT_ERROR(hx_get(admin, report_path(rep_first, "/export?format=xml")), 400, "invalid",
                    "format");
    HX_EXPECT(hx_get(admin, report_path(rep_final, "/export?format=pdf")), 200);

    /* Units never see upward reports. */
    HX_EXPECT(hx_get(unit_user[0], inc_path(id, "/reporting")), 403);
    HX_EXPECT(hx_get(unit_user[0], report_path(rep_first, "")), 403);
    HX_EXPECT_ERROR(hx_get(admin, report_path(999999, "")), 404, "not_found", NULL);
}

static void test_general_owes_nothing(void **state)
{
    (void)state;
    int64_t id = new_incident("某单位办公电脑感染病毒", "central_state", srv->now_ms - HX_HOUR_MS);
    grade(id, json_pack("{s:s,s:s}", "importance", "general", "loss", "smaller"), "general");
    struct hx_resp *r = hx_get(admin, inc_path(id, "/reporting"));
    HX_EXPECT(r, 200);
    assert_false(json_is_true(json_object_get(r->json, "applies")));
    assert_string_equal(hx_json_str(r, "level"), "general");
    assert_int_equal(json_array_size(json_object_get(r->json, "obligations")), 0);
    HX_EXPECT_ERROR(new_report(id, "first", json_object()), 409, "conflict", "level");
    /* A 较大 one of a central organ owes a first report within 2 hours, no pass-on. */
    int64_t found = srv->now_ms - HX_HOUR_MS;
    id = new_incident("某部委门户网站被篡改", "central_state", found);
    grade(id, json_pack("{s:s,s:s}", "importance", "important", "loss", "serious"), "significant");
    r = hx_get(admin, inc_path(id, "/reporting"));
    assert_true(json_is_true(json_object_get(r->json, "applies")));
    assert_int_equal(json_array_size(json_object_get(r->json, "obligations")), 2);
    assert_int_equal(time_of(duty(r, "first"), "due_at"), found + 2 * HX_HOUR_MS);
    HX_EXPECT_ERROR(new_report(id, "pass_on", json_object()), 409, "conflict", "kind");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evidence_chain),
        cmocka_unit_test(test_major_cii_reporting),
        cmocka_unit_test(test_general_owes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
