/*
 * test_digest.c - the weekly and monthly bulletin digest (预警通报周报 / 月报) through a
 * real server with an injected clock. Warnings of each colour are published at chosen
 * instants around the edges of a week and a month in Beijing time (a Sunday's last
 * minute, a Monday's first, the first half hour of July that is still June in UTC);
 * a draft and a submitted warning stay out. The week and month digests hold exactly
 * the bulletins of their period, oldest first, counted by colour, as JSON and as a
 * PDF whose text (pdftotext, poppler-utils) carries the Chinese title and the
 * bulletins' titles; an empty period says there were none. Every bulletin reader
 * gets it; bad query arguments are refused naming the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/yj.h"
#include "harness.h"

static struct hx_server *srv;
static struct hx_client *admin, *unit_a, *unit_b, *expert, *anon;

static int64_t instant(const char *rfc3339)
{
    int64_t ms;
    if (yj_time_parse(rfc3339, &ms) != 0)
        fail_msg("bad instant %s", rfc3339);
    return ms;
}

static json_t *warning_doc(const char *title, const char *colour)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s}],s:[s,s]}", "title", title,
                     "event_at", hx_time(srv->now_ms - 2 * HX_HOUR_MS), "description",
                     hx_fmt("%s：描述。", title), "cause", "原因。", "impact",
                     hx_fmt("%s：影响。", title), "countermeasures", hx_fmt("%s：措施。", title),
                     "analysis", "分析。", "colour", colour, "affected_products", "vendor",
                     "Apache", "product", "Log4j2", "versions", "2.0-beta9 至 2.14.1", "references",
                     "CVE-2021-44228", "cnvd-2021-95914");
}

/* unit A writes and submits the warning at `at` (Beijing time), the authority publishes
 * it then (published_at is at). */
static int64_t publish(const char *title, const char *colour, const char *at)
{
    hx_clock_set(srv, instant(at));
    struct hx_resp *r = hx_post(unit_a, "/api/v1/early-warnings", warning_doc(title, colour));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    const char *path = hx_fmt("/api/v1/early-warnings/%lld", (long long)id);
    HX_EXPECT(hx_send(unit_a, "POST", hx_fmt("%s/submit", path), NULL, hx_etag(1)), 200);
    r = hx_send(admin, "POST", hx_fmt("%s/review", path), json_pack("{s:s}", "decision", "publish"),
                hx_etag(2));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "published_at"), hx_time(instant(at)));
    return id;
}

static int64_t w_red, w_orange, w_blue, w_yellow, w_july;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    int64_t a = hx_unit_create(admin, hx_unit_doc("通报汇编甲单位"));
    int64_t b = hx_unit_create(admin, hx_unit_doc("通报汇编乙单位"));
    unit_a = hx_tokened(srv, hx_user_client(admin, "unit", a));
    unit_b = hx_tokened(srv, hx_user_client(admin, "unit", b));
    expert = hx_tokened(srv, hx_user_client(admin, "expert", 0));
    anon = hx_client_new(srv);

    /* ISO week 23 of 2026 is Monday 1 June to Sunday 7 June. */
    w_red = publish("Log4j2 漏洞预警", "red", "2026-06-01T10:00:00+08:00");
    w_orange = publish("OpenSSH 漏洞预警", "orange", "2026-06-03T09:30:00+08:00");
    /* Neither a draft nor a warning waiting for review is a bulletin. */
    HX_EXPECT(hx_post(unit_a, "/api/v1/early-warnings", warning_doc("未发布的草稿", "red")), 201);
    struct hx_resp *r =
        hx_post(unit_a, "/api/v1/early-warnings", warning_doc("待审核的预警", "yellow"));
    HX_EXPECT(r, 201);
    HX_EXPECT(hx_send(unit_a, "POST",
                      hx_fmt("/api/v1/early-warnings/%lld/submit", (long long)hx_json_int(r, "id")),
                      NULL, hx_etag(1)),
              200);
    /* Sunday's last minute in Beijing (15:59 UTC) is in the week; Monday's first
     * (Sunday 16:00 UTC) is not. */
    w_blue = publish("勒索软件活动预警", "blue", "2026-06-07T23:59:00+08:00");
    w_yellow = publish("钓鱼邮件预警", "yellow", "2026-06-08T00:00:30+08:00");
    /* 30 June 16:30 UTC is already July in Beijing. */
    w_july = publish("七月的预警", "red", "2026-07-01T00:30:00+08:00");
    hx_clock_set(srv, instant("2026-07-02T09:00:00+08:00"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(anon);
    hx_client_free(expert);
    hx_client_free(unit_b);
    hx_client_free(unit_a);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

/* --- helpers ----------------------------------------------------------------------------- */

static struct hx_resp *digest(struct hx_client *c, const char *query)
{
    return hx_get(c, hx_fmt("/api/v1/bulletins/digest?%s", query));
}

static int64_t count(const struct hx_resp *r, const char *colour)
{
    json_t *v = json_object_get(json_object_get(r->json, "counts"), colour);
    if (!json_is_integer(v))
        fail_msg("no counts.%s in %s", colour, r->body);
    return json_integer_value(v);
}

/* The ids of the digest's items, in order, as "1,2,3". */
static const char *item_ids(const struct hx_resp *r)
{
    static char out[256];
    size_t len = 0;
    out[0] = '\0';
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(r->json, "items"), i, it)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%lld", i ? "," : "",
                                (long long)json_integer_value(json_object_get(it, "id")));
    return out;
}

static const char *ids(int n, const int64_t *v)
{
    static char out[256];
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len +=
            (size_t)snprintf(out + len, sizeof out - len, "%s%lld", i ? "," : "", (long long)v[i]);
    return out;
}

/* Runs cmd and returns what it printed (malloc'd); *status its exit status. */
static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        fail_msg("cannot run %s", cmd);
    struct yj_buf b;
    yj_buf_init(&b, 16u << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, n), YJ_OK);
    assert_int_equal(yj_buf_append(&b, "", 1), YJ_OK);
    *status = pclose(p);
    size_t len;
    return yj_buf_detach(&b, &len);
}

/* Checks r is a PDF of at least one page and returns its text (pdftotext; malloc'd). */
static char *pdf_text(const struct hx_resp *r, const char *name)
{
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type, "application/pdf");
    assert_true(r->body_len > 5 && memcmp(r->body, "%PDF-", 5) == 0);
    const char *path = hx_fmt("%s/%s", srv->root, name);
    hx_write_file(path, r->body, r->body_len);
    int status;
    char *info = run(hx_fmt("pdfinfo '%s' 2>&1", path), &status);
    if (status != 0)
        fail_msg("pdfinfo %s: status %d: %s", name, status, info);
    const char *pages = strstr(info, "Pages:");
    assert_non_null(pages);
    assert_true(strtol(pages + 6, NULL, 10) >= 1);
    free(info);
    char *text = run(hx_fmt("pdftotext -layout '%s' - 2>&1", path), &status);
    if (status != 0)
        fail_msg("pdftotext %s: status %d: %s", name, status, text);
    return text;
}

static void assert_has(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("\"%s\" not in:\n%s", needle, text);
}

/* --- tests ------------------------------------------------------------------------------- */

static void test_week_json(void **state)
{
    (void)state;
    struct hx_resp *r = digest(unit_b, "period=week&date=2026-06-03&format=json");
    HX_EXPECT(r, 200);
    assert_string_equal(r->content_type, "application/json");
    const char *cd = hx_header(r, "Content-Disposition");
    assert_non_null(cd);
    assert_has(cd, "attachment");
    assert_has(cd, "bulletin-digest-week-2026-W23.json");
    assert_string_equal(hx_json_str(r, "period"), "week");
    assert_string_equal(hx_json_str(r, "period_name_zh"), "周报");
    assert_string_equal(hx_json_str(r, "date"), "2026-06-03");
    assert_int_equal(hx_json_int(r, "year"), 2026);
    assert_int_equal(hx_json_int(r, "week"), 23);
    assert_true(json_is_null(json_object_get(r->json, "month")));
    assert_string_equal(hx_json_str(r, "first_day"), "2026-06-01");
    assert_string_equal(hx_json_str(r, "last_day"), "2026-06-07");
    assert_string_equal(hx_json_str(r, "from"), "2026-05-31T16:00:00.000Z");
    assert_string_equal(hx_json_str(r, "to"), "2026-06-07T16:00:00.000Z");
    assert_string_equal(hx_json_str(r, "title"),
                        "网络安全预警通报 周报 2026年第23周 (6月1日—6月7日)");
    assert_string_equal(hx_json_str(r, "summary_zh"),
                        "红色预警 1 条，橙色预警 1 条，黄色预警 0 条，蓝色预警 1 条，共 3 条");
    assert_int_equal(count(r, "red"), 1);
    assert_int_equal(count(r, "orange"), 1);
    assert_int_equal(count(r, "yellow"), 0);
    assert_int_equal(count(r, "blue"), 1);
    assert_int_equal(count(r, "none"), 0);
    assert_int_equal(count(r, "total"), 3);
    int64_t want[] = {w_red, w_orange, w_blue};
    assert_string_equal(item_ids(r), ids(3, want));

    json_t *it = json_array_get(json_object_get(r->json, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(it, "title")), "Log4j2 漏洞预警");
    assert_string_equal(json_string_value(json_object_get(it, "published_at")),
                        "2026-06-01T02:00:00.000Z");
    assert_string_equal(json_string_value(json_object_get(it, "colour")), "red");
    assert_string_equal(json_string_value(json_object_get(it, "colour_name_zh")), "红色");
    assert_string_equal(json_string_value(json_object_get(it, "description")),
                        "Log4j2 漏洞预警：描述。");
    assert_string_equal(json_string_value(json_object_get(it, "impact")),
                        "Log4j2 漏洞预警：影响。");
    assert_string_equal(json_string_value(json_object_get(it, "countermeasures")),
                        "Log4j2 漏洞预警：措施。");
    json_t *p = json_array_get(json_object_get(it, "affected_products"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "product")), "Log4j2");
    assert_string_equal(json_string_value(json_object_get(p, "versions")), "2.0-beta9 至 2.14.1");
    json_t *refs = json_object_get(it, "references");
    assert_int_equal(json_array_size(refs), 2);
    assert_string_equal(json_string_value(json_array_get(refs, 1)), "CNVD-2021-95914");
    /* The bulletin view: nothing of the review. */
    assert_null(json_object_get(it, "review_comment"));
    assert_null(json_object_get(it, "reviews"));

    /* The next week starts at Monday 00:00 in Beijing. */
    r = digest(admin, "period=week&date=2026-06-08&format=json");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "week"), 24);
    assert_int_equal(count(r, "yellow"), 1);
    assert_int_equal(count(r, "total"), 1);
    assert_string_equal(item_ids(r), ids(1, &w_yellow));
}

static void test_month_json(void **state)
{
    (void)state;
    struct hx_resp *r = digest(unit_a, "period=month&date=2026-06-15&format=json");
    HX_EXPECT(r, 200);
    assert_has(hx_header(r, "Content-Disposition"), "bulletin-digest-month-2026-06.json");
    assert_string_equal(hx_json_str(r, "title"), "网络安全预警通报 月报 2026年6月");
    assert_int_equal(hx_json_int(r, "month"), 6);
    assert_true(json_is_null(json_object_get(r->json, "week")));
    assert_string_equal(hx_json_str(r, "first_day"), "2026-06-01");
    assert_string_equal(hx_json_str(r, "last_day"), "2026-06-30");
    assert_string_equal(hx_json_str(r, "to"), "2026-06-30T16:00:00.000Z");
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(count(r, (const char *[]){"red", "orange", "yellow", "blue"}[i]), 1);
    assert_int_equal(count(r, "total"), 4);
    int64_t want[] = {w_red, w_orange, w_blue, w_yellow};
    assert_string_equal(item_ids(r), ids(4, want));

    r = digest(unit_a, "period=month&date=2026-07-31&format=json");
    HX_EXPECT(r, 200);
    assert_int_equal(count(r, "red"), 1);
    assert_int_equal(count(r, "total"), 1);
    assert_string_equal(item_ids(r), ids(1, &w_july));

    /* No date: the period holding today in Beijing (2 July 2026, a Thursday). */
    r = digest(unit_a, "period=week&format=json");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "date"), "2026-07-02");
    assert_string_equal(hx_json_str(r, "first_day"), "2026-06-29");
    assert_int_equal(hx_json_int(r, "week"), 27);
    assert_string_equal(item_ids(r), ids(1, &w_july));
}

static void test_pdf(void **state)
{
    (void)state;
    /* PDF is the default format. */
    struct hx_resp *r = digest(unit_b, "period=week&date=2026-06-07");
    char *text = pdf_text(r, "week.pdf");
    assert_has(hx_header(r, "Content-Disposition"), "bulletin-digest-week-2026-W23.pdf");
    assert_has(text, "网络安全预警通报 周报 2026年第23周 (6月1日—6月7日)");
    assert_has(text, "红色预警 1 条，橙色预警 1 条，黄色预警 0 条，蓝色预警 1 条，共 3 条");
    assert_has(text, "Log4j2 漏洞预警");
    assert_has(text, "OpenSSH 漏洞预警");
    assert_has(text, "勒索软件活动预警");
    assert_has(text, "OpenSSH 漏洞预警：措施。");
    assert_has(text, "CVE-2021-44228");
    assert_has(text, "2026-06-07 23:59");
    assert_true(strstr(text, "钓鱼邮件预警") == NULL);
    assert_true(strstr(text, "待审核的预警") == NULL);
    assert_true(strstr(text, "未发布的草稿") == NULL);
    free(text);

    r = digest(admin, "period=month&date=2026-06-01&format=pdf");
    text = pdf_text(r, "month.pdf");
    assert_has(text, "网络安全预警通报 月报 2026年6月");
    assert_has(text, "钓鱼邮件预警");
    assert_has(text, "共 4 条");
    assert_true(strstr(text, "七月的预警") == NULL);
    free(text);
}

static void test_empty(void **state)
{
    (void)state;
    struct hx_resp *r = digest(unit_b, "period=week&date=2026-05-20&format=json");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "title"),
                        "网络安全预警通报 周报 2026年第21周 (5月18日—5月24日)");
    assert_int_equal(count(r, "total"), 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    char *text = pdf_text(digest(unit_b, "period=month&date=2026-05-20"), "empty.pdf");
    assert_has(text, "网络安全预警通报 月报 2026年5月");
    assert_has(text, "本期无发布的预警通报");
    assert_has(text, "共 0 条");
    free(text);
}

static void test_who_and_bad_input(void **state)
{
    (void)state;
    HX_EXPECT_ERROR(digest(anon, "period=week"), 401, "unauthenticated", NULL);
    HX_EXPECT_ERROR(digest(expert, "period=week"), 403, "forbidden", NULL);
    HX_EXPECT(digest(unit_b, "period=week&format=json"), 200);

    HX_EXPECT_ERROR(digest(admin, "format=json"), 400, "invalid", "period");
    HX_EXPECT_ERROR(digest(admin, "period=year"), 400, "invalid", "period");
    HX_EXPECT_ERROR(digest(admin, "period=WEEK"), 400, "invalid", "period");
    HX_EXPECT_ERROR(digest(admin, "period=week&date=2026-02-30"), 400, "invalid", "date");
    HX_EXPECT_ERROR(digest(admin, "period=week&date=2026-6-1"), 400, "invalid", "date");
    HX_EXPECT_ERROR(digest(admin, "period=month&date="), 400, "invalid", "date");
    HX_EXPECT_ERROR(digest(admin, "period=month&date=1900-01-01"), 400, "invalid", "date");
    HX_EXPECT_ERROR(digest(admin, "period=week&format=xlsx"), 400, "invalid", "format");
    HX_EXPECT_ERROR(digest(admin, "period=week&colour=red"), 400, "invalid", "colour");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_json),
        cmocka_unit_test(test_month_json),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_who_and_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
