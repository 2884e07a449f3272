/*
 * test_certs.c - certificates through a real server: the authority suspends,
 * reinstates and revokes with If-Match; forbidden transitions and bad input
 * answer 409/400 and change nothing (no event, no version, no audit record);
 * revocation for misuse of the authority's name records the three-year ban; a
 * unit user sees only its own unit's certificates and files a change report
 * that opens a re-qualification task; the auditor reads but cannot change; the
 * public look-up answers exactly the public fields, 404 for unknown numbers and
 * 429 with Retry-After past the burst; /verify is served under the strict CSP;
 * and expiry happens by itself at the end of valid_to (China Standard Time) as
 * the injected clock passes it, once, with the audit chain intact.
 *
 * Certificates are issued by publication, which has no route yet; so setup
 * stops the server after making the units and users, opens its store from this
 * process, issues the certificates with certs_issue inside one write
 * transaction (auditing each "certificate.issue" by "system", as publication
 * will), and starts the server again on the same data.
 */
#include "harness.h"

#include "api/api_certs.h"
#include "audit/audit.h"
#include "certs/certs.h"
#include "core/yj.h"
#include "store/store.h"

static struct hx_server *srv;
static struct hx_client *admin, *anon, *unit_a_user, *unit_b_user, *auditor, *expert;
static int64_t unit_a, unit_b;

/* The certificates setup issues, by purpose. */
enum {
    C_FLOW,      /* unit A: suspended, reinstated, revoked */
    C_FORBID,    /* unit A: cancelled, then every refused change */
    C_CURRENT,   /* unit A: stays valid; its change report links it */
    C_MISUSE,    /* unit B: revoked for misuse of the authority's name */
    C_EXPIRE,    /* unit B: valid to 2026-06-30 */
    C_EXPIRE_SU, /* unit A: valid to 2026-06-30, suspended before that */
    C__COUNT
};
static struct {
    int64_t id;
    char number[CERT_NUMBER_MAX + 1];
} certs[C__COUNT];

static void issue_all(void)
{
    struct yj_error e;
    struct store *st = NULL;
    struct store_tx *tx = NULL;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    if (store_open(srv->data, 0, &st, &e) || store_write_begin(st, &tx, &e))
        fail_msg("opening the server's store: %s", e.msg);
    for (int i = 0; i < C__COUNT; i++) {
        bool b = i == C_MISUSE || i == C_EXPIRE;
        bool brief = i == C_EXPIRE || i == C_EXPIRE_SU;
        struct cert_issue req = {
            .unit_id = b ? unit_b : unit_a,
            .holder_name = b ? "证书乙单位" : "证书甲单位",
            .title = "六盘水市网络安全应急技术支撑单位",
            .issuing_authorities = "中共六盘水市委网信办、六盘水市公安局",
            .number_pattern = "LPS-YJ-{YYYY}-{NNN}",
            .valid_from = "2026-06-01",
            .valid_to = brief ? "2026-06-30" : "2028-05-31",
            .year = 2026,
        };
        struct cert c;
        if (certs_issue(tx, &req, srv->now_ms, 0, &a, &c, &e))
            fail_msg("certs_issue: %s (%s)", e.msg, e.field);
        char id[24], changes[128];
        snprintf(id, sizeof id, "%lld", (long long)c.id);
        snprintf(changes, sizeof changes, "{\"number\":\"%s\"}", c.number);
        struct audit_entry ae = {.actor = "system",
                                 .action = "certificate.issue",
                                 .object_type = "certificate",
                                 .object_id = id,
                                 .changes = changes};
        if (audit_append(tx, &ae, srv->now_ms, &e))
            fail_msg("audit_append: %s", e.msg);
        certs[i].id = c.id;
        snprintf(certs[i].number, sizeof certs[i].number, "%s", c.number);
    }
    if (store_tx_commit(tx, &e))
        fail_msg("commit: %s", e.msg);
    store_tx_end(tx);
    store_close(st);
    yj_arena_release(&a);
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("证书甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("证书乙单位"));
    unit_a_user = hx_user_client(admin, "unit", unit_a);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    auditor = hx_user_client(admin, "auditor", 0);
    expert = hx_user_client(admin, "expert", 0);
    anon = hx_client_new(srv);
    hx_server_stop(srv);
    issue_all();
    hx_server_start(srv); /* sessions live in the store: the clients stay logged in */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_client_free(anon);
    hx_client_free(unit_a_user);
    hx_client_free(unit_b_user);
    hx_client_free(auditor);
    hx_client_free(expert);
    hx_server_free(srv);
    return 0;
}

static const char *cert_path(int which)
{
    return hx_fmt("/api/v1/certificates/%lld", (long long)certs[which].id);
}

static const char *public_path(const char *number)
{
    return hx_fmt("/public/certificates/%s", number);
}

/* Enough time for the public look-up's bucket to be full again. */
static void refill(void)
{
    hx_clock_advance(srv, (int64_t)API_PUBLIC_BURST * API_PUBLIC_INTERVAL_MS);
}

static struct hx_resp *set_status(struct hx_client *c, int which, const char *if_match,
                                  json_t *body)
{
    return hx_send(c, "POST", hx_fmt("%s/status", cert_path(which)), body, if_match);
}

/* The certificate as the authority reads it (asserting 200). */
static struct hx_resp *read_cert(int which)
{
    struct hx_resp *r = hx_get(admin, cert_path(which));
    HX_EXPECT(r, 200);
    return r;
}

static size_t history_len(const struct hx_resp *r)
{
    return json_array_size(json_object_get(r->json, "history"));
}

/* Audit records of one object, newest first. */
static json_t *audit_of(const char *type, int64_t id)
{
    struct hx_resp *r =
        hx_get(admin, hx_fmt("/api/v1/audit?object_type=%s&object_id=%lld&limit=200", type,
                             (long long)id));
    HX_EXPECT(r, 200);
    return json_object_get(r->json, "items");
}

static size_t count_action(const json_t *items, const char *action)
{
    size_t n = 0, i;
    json_t *it;
    json_array_foreach (items, i, it)
        n += strcmp(json_string_value(json_object_get(it, "action")), action) == 0;
    return n;
}

/* Fails unless obj's keys are exactly those listed (NULL-terminated). */
static void expect_keys(const json_t *obj, const char *const *keys, const char *what)
{
    assert_true(json_is_object(obj));
    size_t n = 0;
    for (; keys[n]; n++)
        if (!json_object_get(obj, keys[n]))
            fail_msg("%s: \"%s\" is missing", what, keys[n]);
    if (json_object_size(obj) != n) {
        char *s = json_dumps(obj, JSON_COMPACT);
        print_error("%s has other keys: %s\n", what, s);
        free(s);
        fail();
    }
}

static void test_public_lookup(void **state)
{
    (void)state;
    refill();
    struct hx_resp *r = hx_get(anon, public_path(certs[C_CURRENT].number));
    HX_EXPECT(r, 200);
    static const char *const keys[] = {"number",     "holder_name", "title",  "issuing_authorities",
                                       "valid_from", "valid_to",    "status", "history",
                                       NULL};
    expect_keys(r->json, keys, "the public answer");
    assert_string_equal(hx_json_str(r, "number"), certs[C_CURRENT].number);
    assert_string_equal(hx_json_str(r, "holder_name"), "证书甲单位");
    assert_string_equal(hx_json_str(r, "title"), "六盘水市网络安全应急技术支撑单位");
    assert_string_equal(hx_json_str(r, "issuing_authorities"),
                        "中共六盘水市委网信办、六盘水市公安局");
    assert_string_equal(hx_json_str(r, "valid_from"), "2026-06-01");
    assert_string_equal(hx_json_str(r, "valid_to"), "2028-05-31");
    assert_string_equal(hx_json_str(r, "status"), "valid");
    json_t *history = json_object_get(r->json, "history");
    assert_int_equal(json_array_size(history), 1);
    static const char *const event_keys[] = {"status", "at", NULL};
    expect_keys(json_array_get(history, 0), event_keys, "a public history entry");
    assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "status")),
                        "valid");
    assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "at")),
                        "2026-06-01T00:00:00.000Z");
    assert_non_null(hx_header(r, "Cache-Control"));
    assert_string_equal(hx_header(r, "Cache-Control"), "no-store");
    assert_true(strncmp(r->content_type, "application/json", 16) == 0);
    assert_null(r->set_cookie);
    /* A logged-in caller gets the very same answer. */
    struct hx_resp *again = hx_get(admin, public_path(certs[C_CURRENT].number));
    HX_EXPECT(again, 200);
    assert_true(json_equal(again->json, r->json));

    HX_EXPECT_ERROR(hx_get(anon, public_path("LPS-YJ-2026-999")), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(anon, public_path("lps-yj-2026-001")), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(anon, public_path("%E2%80%AE%00")), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(anon, hx_fmt("%s?x=1", public_path(certs[C_CURRENT].number))), 400,
                    "invalid", "x");
    HX_EXPECT_ERROR(hx_send(anon, "POST", public_path(certs[C_CURRENT].number), NULL, NULL), 405,
                    "method_not_allowed", NULL);
}

static void test_authority_status_flow(void **state)
{
    (void)state;
    refill();
    struct hx_resp *r = read_cert(C_FLOW);
    assert_string_equal(r->etag, "\"1\"");
    assert_string_equal(hx_json_str(r, "status"), "valid");
    assert_int_equal(hx_json_int(r, "unit_id"), unit_a);
    assert_int_equal(history_len(r), 1);

    json_t *suspend = json_pack("{s:s,s:s}", "status", "suspended", "reason", "配合案件调查");
    HX_EXPECT_ERROR(set_status(admin, C_FLOW, NULL, json_deep_copy(suspend)), 428,
                    "precondition_required", "If-Match");
    HX_EXPECT_ERROR(set_status(admin, C_FLOW, "\"7\"", json_deep_copy(suspend)), 412,
                    "precondition_failed", "If-Match");
    r = set_status(admin, C_FLOW, "\"1\"", suspend);
    HX_EXPECT(r, 200);
    assert_string_equal(r->etag, "\"2\"");
    assert_string_equal(hx_json_str(r, "status"), "suspended");
    assert_int_equal(hx_json_int(r, "version"), 2);
    assert_null(json_object_get(r->json, "ban"));
    json_t *last = json_array_get(json_object_get(r->json, "history"), 1);
    assert_string_equal(json_string_value(json_object_get(last, "from")), "valid");
    assert_string_equal(json_string_value(json_object_get(last, "status")), "suspended");
    assert_string_equal(json_string_value(json_object_get(last, "reason")), "配合案件调查");
    assert_int_equal(json_integer_value(json_object_get(last, "actor_id")), admin->user_id);
    json_t *audit = audit_of("certificate", certs[C_FLOW].id);
    json_t *newest = json_array_get(audit, 0);
    assert_string_equal(json_string_value(json_object_get(newest, "action")),
                        "certificate.status_change");
    assert_string_equal(json_string_value(json_object_get(newest, "actor")), HX_ADMIN_USER);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_object_get(newest, "changes"), "status"), "new")),
                        "suspended");

    /* The public sees the suspension at once, and its history. */
    r = hx_get(anon, public_path(certs[C_FLOW].number));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "suspended");
    assert_int_equal(history_len(r), 2);

    r = set_status(admin, C_FLOW, "\"2\"",
                   json_pack("{s:s,s:s}", "status", "valid", "reason", "调查结束，恢复"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "valid");
    r = set_status(admin, C_FLOW, "\"3\"",
                   json_pack("{s:s,s:s,s:s}", "status", "revoked", "cause", "poor_handling",
                             "reason", "事件处置不力"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "revoked");
    assert_string_equal(r->etag, "\"4\"");
    assert_int_equal(history_len(r), 4);
    assert_null(json_object_get(r->json, "ban")); /* this cause bans nobody */

    /* Revoked is final: 409 naming status, and nothing changes. */
    int64_t audits = hx_audit_length(admin);
    HX_EXPECT_ERROR(set_status(admin, C_FLOW, "\"4\"",
                               json_pack("{s:s,s:s}", "status", "valid", "reason", "撤回")),
                    409, "conflict", "status");
    assert_int_equal(hx_audit_length(admin), audits);
    r = read_cert(C_FLOW);
    assert_string_equal(r->etag, "\"4\"");
    assert_int_equal(history_len(r), 4);
    assert_int_equal(count_action(audit_of("unit", unit_a), "unit.ban"), 0);
}

static void test_refusals_change_nothing(void **state)
{
    (void)state;
    HX_EXPECT(set_status(admin, C_FORBID, "\"1\"",
                         json_pack("{s:s,s:s}", "status", "cancelled", "reason", "单位申请注销")),
              200);
    int64_t audits = hx_audit_length(admin);
    static const struct {
        int which;
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        /* cancelled is final, whatever comes next */
        {C_FORBID, "{\"status\":\"valid\",\"reason\":\"x\"}", 409, "conflict", "status"},
        {C_FORBID, "{\"status\":\"suspended\",\"reason\":\"x\"}", 409, "conflict", "status"},
        {C_FORBID, "{\"status\":\"cancelled\",\"reason\":\"x\"}", 409, "conflict", "status"},
        {C_FORBID, "{\"status\":\"revoked\",\"cause\":\"misuse_of_name\",\"reason\":\"x\"}", 409,
         "conflict", "status"},
        /* valid -> valid is no transition */
        {C_CURRENT, "{\"status\":\"valid\",\"reason\":\"x\"}", 409, "conflict", "status"},
        /* bad input, on a live certificate */
        {C_CURRENT, "{\"status\":\"expired\",\"reason\":\"x\"}", 400, "invalid", "status"},
        {C_CURRENT, "{\"status\":\"revoke\",\"reason\":\"x\"}", 400, "invalid", "status"},
        {C_CURRENT, "{\"reason\":\"x\"}", 400, "invalid", "status"},
        {C_CURRENT, "{\"status\":\"revoked\",\"reason\":\"x\"}", 400, "invalid", "cause"},
        {C_CURRENT, "{\"status\":\"revoked\",\"cause\":\"bad_luck\",\"reason\":\"x\"}", 400,
         "invalid", "cause"},
        {C_CURRENT, "{\"status\":\"suspended\",\"cause\":\"misuse_of_name\",\"reason\":\"x\"}", 400,
         "invalid", "cause"},
        {C_CURRENT, "{\"status\":\"suspended\"}", 400, "invalid", "reason"},
        {C_CURRENT, "{\"status\":\"suspended\",\"reason\":\"  \"}", 400, "invalid", "reason"},
        {C_CURRENT, "{\"status\":\"suspended\",\"reason\":\"x\",\"by\":1}", 400, "invalid", "by"},
        {C_CURRENT, "{\"status\":1,\"reason\":\"x\"}", 400, "invalid", "status"},
        {C_CURRENT, "[]", 400, "invalid", "body"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct hx_resp *before = read_cert(bad[i].which);
        struct hx_req opt = {.content_type = "application/json",
                             .body = bad[i].body,
                             .body_len = strlen(bad[i].body),
                             .if_match = before->etag};
        struct hx_resp *r =
            hx_request(admin, "POST", hx_fmt("%s/status", cert_path(bad[i].which)), &opt);
        if (r->status != bad[i].status)
            fail_msg("case %zu (%s): HTTP %ld %s", i, bad[i].body, r->status, r->body);
        HX_EXPECT_ERROR(r, bad[i].status, bad[i].code, bad[i].field);
        struct hx_resp *after = read_cert(bad[i].which);
        assert_string_equal(after->etag, before->etag);
        assert_true(json_equal(after->json, before->json));
        assert_int_equal(hx_audit_length(admin), audits);
    }
    /* Not JSON at all: 415, and no certificate of that id: 404. */
    struct hx_req text = {
        .content_type = "text/plain", .body = "x", .body_len = 1, .if_match = "\"1\""};
    HX_EXPECT_ERROR(hx_request(admin, "POST", hx_fmt("%s/status", cert_path(C_CURRENT)), &text),
                    415, "unsupported_media_type", "Content-Type");
    HX_EXPECT_ERROR(hx_send(admin, "POST", "/api/v1/certificates/987654/status",
                            json_pack("{s:s,s:s}", "status", "suspended", "reason", "x"), "\"1\""),
                    404, "not_found", NULL);
    assert_int_equal(hx_audit_length(admin), audits);
}

static void test_misuse_of_name_ban(void **state)
{
    (void)state;
    struct hx_resp *r =
        set_status(admin, C_MISUSE, "\"1\"",
                   json_pack("{s:s,s:s,s:s}", "status", "revoked", "cause", "misuse_of_name",
                             "reason", "借用主管部门名义承揽商业项目"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "revoked");
    json_t *ban = json_object_get(r->json, "ban");
    assert_non_null(ban);
    assert_string_equal(json_string_value(json_object_get(ban, "cause")), "misuse_of_name");
    assert_string_equal(json_string_value(json_object_get(ban, "starts_on")), "2026-06-01");
    assert_string_equal(json_string_value(json_object_get(ban, "ends_on")), "2029-06-01");
    json_t *last = json_array_get(json_object_get(r->json, "history"), 1);
    assert_string_equal(json_string_value(json_object_get(last, "cause")), "misuse_of_name");

    /* The ban is audited under unit B, and shows in the unit's history. */
    json_t *audit = audit_of("unit", unit_b);
    assert_int_equal(count_action(audit, "unit.ban"), 1);
    json_t *changes = json_object_get(json_array_get(audit, 0), "changes");
    assert_string_equal(json_string_value(json_object_get(changes, "ends_on")), "2029-06-01");
    assert_int_equal(json_integer_value(json_object_get(changes, "years")), 3);
    assert_int_equal(json_integer_value(json_object_get(changes, "certificate_id")),
                     certs[C_MISUSE].id);
    r = hx_get(admin, hx_fmt("/api/v1/units/%lld/history", (long long)unit_b));
    HX_EXPECT(r, 200);
    assert_int_equal(count_action(json_object_get(r->json, "items"), "unit.ban"), 1);
    assert_int_equal(
        count_action(audit_of("certificate", certs[C_MISUSE].id), "certificate.status_change"), 1);

    /* The public sees the revocation, never its cause or reason. */
    refill();
    r = hx_get(anon, public_path(certs[C_MISUSE].number));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "revoked");
    assert_null(strstr(r->body, "misuse"));
    assert_null(strstr(r->body, "借用"));
}

static size_t count_unit(const json_t *items, int64_t unit)
{
    size_t n = 0, i;
    json_t *it;
    json_array_foreach (items, i, it)
        n += json_integer_value(json_object_get(it, "unit_id")) == unit;
    return n;
}

static void test_scopes_and_change_reports(void **state)
{
    (void)state;
    /* Lists: the authority and the auditor see all, a unit user its own only. */
    json_t *all = hx_list_all(admin, "/api/v1/certificates", 2);
    assert_int_equal(json_array_size(all), C__COUNT);
    json_decref(all);
    all = hx_list_all(auditor, "/api/v1/certificates", 50);
    assert_int_equal(json_array_size(all), C__COUNT);
    json_decref(all);
    json_t *own = hx_list_all(unit_a_user, "/api/v1/certificates", 50);
    assert_int_equal(json_array_size(own), 4);
    assert_int_equal(count_unit(own, unit_a), 4);
    json_decref(own);
    own = hx_list_all(unit_a_user, hx_fmt("/api/v1/certificates?unit_id=%lld", (long long)unit_b),
                      50);
    assert_int_equal(json_array_size(own), 0);
    json_decref(own);
    json_t *revoked = hx_list_all(admin, "/api/v1/certificates?status=revoked", 50);
    assert_int_equal(json_array_size(revoked), 2);
    json_decref(revoked);
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/certificates?status=gone"), 400, "invalid", "status");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/certificates?unit_id=x"), 400, "invalid", "unit_id");
    HX_EXPECT_ERROR(hx_get(expert, "/api/v1/certificates"), 403, "forbidden", NULL);

    /* Single reads: another unit's certificate does not exist for a unit user. */
    HX_EXPECT(hx_get(unit_a_user, cert_path(C_CURRENT)), 200);
    HX_EXPECT_ERROR(hx_get(unit_a_user, cert_path(C_MISUSE)), 404, "not_found", NULL);
    HX_EXPECT(hx_get(auditor, cert_path(C_MISUSE)), 200);
    HX_EXPECT_ERROR(hx_get(expert, cert_path(C_CURRENT)), 403, "forbidden", NULL);

    /* Only the authority changes status. */
    int64_t audits = hx_audit_length(admin);
    json_t *suspend = json_pack("{s:s,s:s}", "status", "suspended", "reason", "x");
    HX_EXPECT_ERROR(set_status(unit_a_user, C_CURRENT, "\"1\"", json_deep_copy(suspend)), 403,
                    "forbidden", NULL);
    HX_EXPECT_ERROR(set_status(auditor, C_CURRENT, "\"1\"", json_deep_copy(suspend)), 403,
                    "forbidden", NULL);
    HX_EXPECT_ERROR(set_status(anon, C_CURRENT, "\"1\"", suspend), 401, "unauthenticated", NULL);
    assert_int_equal(hx_audit_length(admin), audits);

    /* The unit reports a change of ownership: a task, linked to its current certificate. */
    const char *reports_a = hx_fmt("/api/v1/units/%lld/change-reports", (long long)unit_a);
    struct hx_resp *r = hx_post(
        unit_a_user, reports_a,
        json_pack("{s:s,s:s}", "kind", "ownership", "description", "控股股东由某某变更为某某集团"));
    HX_EXPECT(r, 201);
    int64_t task = hx_json_int(r, "id");
    assert_string_equal(r->location, hx_fmt("/api/v1/requalification-tasks/%lld", (long long)task));
    assert_int_equal(hx_json_int(r, "certificate_id"), certs[C_CURRENT].id);
    assert_int_equal(hx_json_int(r, "unit_id"), unit_a);
    assert_int_equal(hx_json_int(r, "reported_by"), unit_a_user->user_id);
    assert_string_equal(hx_json_str(r, "status"), "open");
    assert_string_equal(hx_json_str(r, "kind"), "ownership");
    assert_int_equal(hx_audit_length(admin), audits + 1);
    assert_int_equal(count_action(audit_of("requalification_task", task), "requalification.open"),
                     1);
    HX_EXPECT(hx_get(unit_a_user, r->location), 200);
    HX_EXPECT(hx_get(auditor, r->location), 200);
    HX_EXPECT_ERROR(hx_get(unit_b_user, r->location), 404, "not_found", NULL);

    /* Not for another unit, not by the auditor, not with a bad kind. */
    json_t *report = json_pack("{s:s,s:s}", "kind", "legal_representative", "description", "x");
    HX_EXPECT_ERROR(hx_post(unit_b_user, reports_a, json_deep_copy(report)), 404, "not_found",
                    NULL);
    HX_EXPECT_ERROR(hx_post(auditor, reports_a, json_deep_copy(report)), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_post(unit_a_user, reports_a,
                            json_pack("{s:s,s:s}", "kind", "address", "description", "x")),
                    400, "invalid", "kind");
    HX_EXPECT_ERROR(hx_post(admin, "/api/v1/units/987654/change-reports", report), 404, "not_found",
                    NULL);
    assert_int_equal(hx_audit_length(admin), audits + 1);

    /* Task lists, scoped like certificates. */
    json_t *tasks = hx_list_all(unit_a_user, "/api/v1/requalification-tasks", 50);
    assert_int_equal(json_array_size(tasks), 1);
    json_decref(tasks);
    tasks = hx_list_all(unit_b_user, "/api/v1/requalification-tasks", 50);
    assert_int_equal(json_array_size(tasks), 0);
    json_decref(tasks);
    tasks = hx_list_all(auditor, "/api/v1/requalification-tasks?status=open", 50);
    assert_int_equal(json_array_size(tasks), 1);
    json_decref(tasks);

    /* Only the authority decides, once. */
    const char *decide = hx_fmt("/api/v1/requalification-tasks/%lld/decision", (long long)task);
    json_t *d = json_pack("{s:s,s:b}", "decision", "复核通过，保留支撑单位资格", "close", 1);
    HX_EXPECT_ERROR(hx_post(unit_a_user, decide, json_deep_copy(d)), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_post(auditor, decide, json_deep_copy(d)), 403, "forbidden", NULL);
    r = hx_post(admin, decide, json_deep_copy(d));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "closed");
    assert_string_equal(hx_json_str(r, "decision"), "复核通过，保留支撑单位资格");
    assert_int_equal(hx_json_int(r, "closed_by"), admin->user_id);
    HX_EXPECT_ERROR(hx_post(admin, decide, d), 409, "conflict", "status");
    assert_int_equal(hx_audit_length(admin), audits + 2);
    tasks = hx_list_all(auditor, "/api/v1/requalification-tasks?status=open", 50);
    assert_int_equal(json_array_size(tasks), 0);
    json_decref(tasks);

    /* Revocation causes, for everyone logged in. */
    r = hx_get(unit_a_user, "/api/v1/reference/revocation-causes");
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 5);
    json_t *misuse = json_array_get(items, 4);
    assert_string_equal(json_string_value(json_object_get(misuse, "code")), "misuse_of_name");
    assert_int_equal(json_integer_value(json_object_get(misuse, "ban_years")), 3);
    HX_EXPECT_ERROR(hx_get(anon, "/api/v1/reference/revocation-causes"), 401, "unauthenticated",
                    NULL);
}

static void test_public_rate_limit(void **state)
{
    (void)state;
    refill();
    /* Exactly the burst, found or not, then 429 with the wait. */
    for (int i = 0; i < API_PUBLIC_BURST; i++) {
        struct hx_resp *r =
            hx_get(anon, public_path(i % 2 ? certs[C_CURRENT].number : "LPS-YJ-2026-888"));
        HX_EXPECT(r, i % 2 ? 200 : 404);
    }
    struct hx_resp *r = hx_get(anon, public_path(certs[C_CURRENT].number));
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_non_null(r->retry_after);
    assert_string_equal(r->retry_after, hx_fmt("%d", API_PUBLIC_INTERVAL_MS / 1000));
    /* Logging in does not lift it: the limit is the address's. */
    HX_EXPECT(hx_get(admin, public_path(certs[C_CURRENT].number)), 429);
    /* One interval later, one more look-up. */
    hx_clock_advance(srv, API_PUBLIC_INTERVAL_MS);
    HX_EXPECT(hx_get(anon, public_path(certs[C_CURRENT].number)), 200);
    HX_EXPECT(hx_get(anon, public_path(certs[C_CURRENT].number)), 429);
    /* The API proper is not limited by it. */
    HX_EXPECT(hx_get(admin, cert_path(C_CURRENT)), 200);
}

static void test_verify_page(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(anon, "/verify");
    HX_EXPECT(r, 200);
    assert_true(strncmp(r->content_type, "text/html", 9) == 0);
    const char *csp = hx_header(r, "Content-Security-Policy");
    assert_non_null(csp);
    assert_non_null(strstr(csp, "script-src 'self'"));
    assert_non_null(strstr(r->body, "src=\"/verify.js\""));
    assert_non_null(strstr(r->body, "href=\"/verify.css\""));
    /* Nothing inline that the CSP would block. */
    assert_null(strstr(r->body, "style="));
    assert_null(strstr(r->body, "onclick"));
    assert_null(strstr(r->body, "<script>"));
    r = hx_get(anon, "/verify.js");
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->content_type, "javascript"));
    assert_non_null(strstr(r->body, "/public/certificates/"));
    assert_null(strstr(r->body, "innerHTML"));
    r = hx_get(anon, "/verify.css");
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->content_type, "text/css"));
}

static void test_expiry_at_valid_to(void **state)
{
    (void)state;
    HX_EXPECT(set_status(admin, C_EXPIRE_SU, "\"1\"",
                         json_pack("{s:s,s:s}", "status", "suspended", "reason", "整改期间暂停")),
              200);
    int64_t audits = hx_audit_length(admin);
    int64_t end = cert_expiry_ms("2026-06-30"); /* 2026-07-01 00:00 in Beijing */

    /* The last millisecond of 30 June in Beijing: still valid. (A month on, every
     * session has ended: log in again.) */
    hx_clock_set(srv, end - 1);
    hx_client_free(admin);
    admin = hx_login_admin(srv);
    struct hx_resp *r = hx_get(anon, public_path(certs[C_EXPIRE].number));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "valid");
    assert_int_equal(history_len(r), 1);

    /* Midnight: expired, and the history says when. */
    hx_clock_set(srv, end);
    r = hx_get(anon, public_path(certs[C_EXPIRE].number));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "expired");
    json_t *history = json_object_get(r->json, "history");
    assert_int_equal(json_array_size(history), 2);
    json_t *last = json_array_get(history, 1);
    assert_string_equal(json_string_value(json_object_get(last, "status")), "expired");
    assert_string_equal(json_string_value(json_object_get(last, "at")), "2026-06-30T16:00:00.000Z");
    /* Read again, later (within the session's idle time): still exactly one expiry. */
    hx_clock_advance(srv, 10 * HX_MINUTE_MS);
    r = hx_get(anon, public_path(certs[C_EXPIRE].number));
    HX_EXPECT(r, 200);
    assert_int_equal(history_len(r), 2);

    /* The suspended one expires too (recorded when the authority reads it). */
    r = read_cert(C_EXPIRE_SU);
    assert_string_equal(hx_json_str(r, "status"), "expired");
    history = json_object_get(r->json, "history");
    assert_int_equal(json_array_size(history), 3);
    last = json_array_get(history, 2);
    assert_string_equal(json_string_value(json_object_get(last, "from")), "suspended");
    assert_string_equal(json_string_value(json_object_get(last, "at")), "2026-06-30T16:00:00.000Z");
    assert_true(json_is_null(json_object_get(last, "actor_id")));
    assert_string_equal(r->etag, "\"3\"");
    json_t *expired = hx_list_all(admin, "/api/v1/certificates?status=expired", 50);
    assert_int_equal(json_array_size(expired), 2);
    json_decref(expired);

    /* Expired is final. */
    HX_EXPECT_ERROR(set_status(admin, C_EXPIRE, "*",
                               json_pack("{s:s,s:s}", "status", "valid", "reason", "续期")),
                    409, "conflict", "status");

    /* One audit record per expiry, by the system; the chain verifies. */
    assert_int_equal(hx_audit_length(admin), audits + 2 + 1 /* the new login */);
    for (int which = C_EXPIRE; which <= C_EXPIRE_SU; which++) {
        json_t *audit = audit_of("certificate", certs[which].id);
        assert_int_equal(count_action(audit, "certificate.expire"), 1);
        json_t *newest = json_array_get(audit, 0);
        assert_string_equal(json_string_value(json_object_get(newest, "actor")), "system");
    }
    /* Others are untouched. */
    r = read_cert(C_CURRENT);
    assert_string_equal(hx_json_str(r, "status"), "valid");
    char *out = NULL;
    int status = hx_audit_verify(srv->data, &out);
    if (status != 0)
        fail_msg("audit verify: %d\n%s", status, out);
    free(out);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_lookup),
        cmocka_unit_test(test_authority_status_flow),
        cmocka_unit_test(test_refusals_change_nothing),
        cmocka_unit_test(test_misuse_of_name_ban),
        cmocka_unit_test(test_scopes_and_change_reports),
        cmocka_unit_test(test_public_rate_limit),
        cmocka_unit_test(test_verify_page),
        cmocka_unit_test(test_expiry_at_valid_to),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
