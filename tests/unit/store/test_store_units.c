/*
 * test_store_units.c - the unit registry in the store: a unit with every child
 * collection round-trips field by field (certificate order, contacts in the
 * template's role order, capabilities in reference order); updates replace the
 * children and bump the version, a stale version changes nothing; soft delete;
 * the unique live credit code; and the list's filters, paging and summaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "store/store.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define NOW INT64_C(1767949200000)
#define CODE_A "91520200MA6DXXXX01"
#define CODE_B "91110108MA01XXXX2K"
#define CODE_C "92330000MA2AXXXX3L"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

struct fx {
    char dir[64];
    struct store *st;
    struct store_tx *tx; /* an open write transaction */
    struct yj_arena a;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-units-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
    yj_arena_init(&f->a, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_tx_end(f->tx);
    store_close(f->st);
    yj_arena_release(&f->a);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Commits the fixture's transaction and opens a new one. */
static void recommit(struct fx *f)
{
    struct yj_error e;
    ASSERT_OK(store_tx_commit(f->tx, &e));
    store_tx_end(f->tx);
    f->tx = NULL;
    ASSERT_OK(store_write_begin(f->st, &f->tx, &e));
}

/* ---- a unit with every child collection ---- */

struct full {
    struct unit u;
    struct unit_contact contacts[UNIT_CONTACT__COUNT];
    struct unit_office offices[2];
    struct unit_staff staff[3];
    const char *certs0[3];
    const char *certs2[1];
    struct unit_capability caps[3];
    struct unit_oncall oncall[2];
};

static void full_init(struct full *x, const char *name, const char *code)
{
    memset(x, 0, sizeof *x);
    x->u = (struct unit){
        .name = name,
        .credit_code = code,
        .registered_capital = 20000000,
        .legal_representative = "郑一",
        .founded_on = "2015-06-01",
        .business_term = "长期",
        .business_scope = "网络安全服务；信息系统集成服务。",
        .registration_authority = "六盘水市市场监督管理局",
        .province = "贵州省",
        .city = "六盘水市",
        .address = "钟山区某路2号",
    };
    /* Stored in the order given, which is not the template's. */
    static const enum unit_contact_role roles[] = {
        UNIT_CONTACT_INTERFACE, UNIT_CONTACT_SUPPORT_CONTACT, UNIT_CONTACT_EMERGENCY_LEAD,
        UNIT_CONTACT_SELECTION_CONTACT, UNIT_CONTACT_SUPPORT_LEAD};
    static const char *const names[] = {"接口人甲", "联系人乙", "负责人丙", "遴选丁", "负责人戊"};
    for (int i = 0; i < UNIT_CONTACT__COUNT; i++)
        x->contacts[i] = (struct unit_contact){
            .role = roles[i],
            .name = names[i],
            .dept_title = i == 0 ? NULL : "安全服务部 经理",
            .mobile = "13800138000",
            .office_phone = i == 1 ? NULL : "0858-8221234",
            .email = i == 2 ? NULL : "contact@example.com.cn",
        };
    x->u.contacts = x->contacts;
    x->u.n_contacts = UNIT_CONTACT__COUNT;
    x->offices[0] = (struct unit_office){
        .name = "总部",
        .is_headquarters = true,
        .province = "北京市",
        .city = "北京市",
        .address = "海淀区某路1号",
        .floor_area_m2 = 1200,
        .tenure = "owned",
        .staff_count = 300,
        .security_lead = "孙八",
        .phone = "010-12345678",
    };
    x->offices[1] = (struct unit_office){.name = "贵阳分公司",
                                         .province = "贵州省",
                                         .city = "贵阳市",
                                         .floor_area_m2 = -1,
                                         .staff_count = -1};
    x->u.offices = x->offices;
    x->u.n_offices = 2;
    /* Certificates deliberately out of alphabetical order. */
    x->certs0[0] = "CISSP";
    x->certs0[1] = "CISP";
    x->certs0[2] = "CCIE";
    x->certs2[0] = "OSCP";
    x->staff[0] = (struct unit_staff){
        .name = "周九",
        .department = "应急响应中心",
        .education = "本科",
        .title = "高级工程师",
        .school = "贵州大学",
        .major = "信息安全",
        .years_in_field = 12,
        .post = "应急响应",
        .in_province = true,
        .certificates = x->certs0,
        .n_certificates = 3,
    };
    x->staff[1] = (struct unit_staff){.name = "吴十", .years_in_field = -1};
    x->staff[2] = (struct unit_staff){
        .name = "冯十一", .years_in_field = 0, .certificates = x->certs2, .n_certificates = 1};
    x->u.staff = x->staff;
    x->u.n_staff = 3;
    /* In reference (position) order, so that a read gives them back as given. */
    x->caps[0] = (struct unit_capability){"monitoring_analysis", "7x24 监测"};
    x->caps[1] = (struct unit_capability){"penetration_testing", NULL};
    x->caps[2] = (struct unit_capability){"emergency_handling", "应急处置"};
    x->u.capabilities = x->caps;
    x->u.n_capabilities = 3;
    x->oncall[0] = (struct unit_oncall){"周九", "13800138000", NOW, NOW + 86400000};
    x->oncall[1] = (struct unit_oncall){"吴十", NULL, NOW + 86400000, NOW + 2 * 86400000};
    x->u.oncall = x->oncall;
    x->u.n_oncall = 2;
}

static void str_eq(const char *what, const char *got, const char *want)
{
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(null)", want ? want : "(null)");
}

/* Every stored field of got equals want's; contacts are compared by role. */
static void assert_unit_equal(const struct unit *got, const struct unit *want)
{
    str_eq("name", got->name, want->name);
    str_eq("credit_code", got->credit_code, want->credit_code);
    assert_int_equal(got->registered_capital, want->registered_capital);
    str_eq("legal_representative", got->legal_representative, want->legal_representative);
    str_eq("founded_on", got->founded_on, want->founded_on);
    str_eq("business_term", got->business_term, want->business_term);
    str_eq("business_scope", got->business_scope, want->business_scope);
    str_eq("registration_authority", got->registration_authority, want->registration_authority);
    str_eq("province", got->province, want->province);
    str_eq("city", got->city, want->city);
    str_eq("address", got->address, want->address);

    assert_int_equal(got->n_contacts, want->n_contacts);
    for (size_t i = 0; i < got->n_contacts; i++) {
        const struct unit_contact *g = &got->contacts[i], *w = NULL;
        for (size_t j = 0; j < want->n_contacts; j++)
            if (want->contacts[j].role == g->role)
                w = &want->contacts[j];
        assert_non_null(w);
        str_eq("contact.name", g->name, w->name);
        str_eq("contact.dept_title", g->dept_title, w->dept_title);
        str_eq("contact.mobile", g->mobile, w->mobile);
        str_eq("contact.office_phone", g->office_phone, w->office_phone);
        str_eq("contact.email", g->email, w->email);
    }
    assert_int_equal(got->n_offices, want->n_offices);
    for (size_t i = 0; i < got->n_offices; i++) {
        const struct unit_office *g = &got->offices[i], *w = &want->offices[i];
        str_eq("office.name", g->name, w->name);
        assert_int_equal(g->is_headquarters, w->is_headquarters);
        str_eq("office.province", g->province, w->province);
        str_eq("office.city", g->city, w->city);
        str_eq("office.address", g->address, w->address);
        assert_int_equal(g->floor_area_m2, w->floor_area_m2);
        str_eq("office.tenure", g->tenure, w->tenure);
        assert_int_equal(g->staff_count, w->staff_count);
        str_eq("office.security_lead", g->security_lead, w->security_lead);
        str_eq("office.phone", g->phone, w->phone);
    }
    assert_int_equal(got->n_staff, want->n_staff);
    for (size_t i = 0; i < got->n_staff; i++) {
        const struct unit_staff *g = &got->staff[i], *w = &want->staff[i];
        str_eq("staff.name", g->name, w->name);
        str_eq("staff.department", g->department, w->department);
        str_eq("staff.education", g->education, w->education);
        str_eq("staff.title", g->title, w->title);
        str_eq("staff.school", g->school, w->school);
        str_eq("staff.major", g->major, w->major);
        assert_int_equal(g->years_in_field, w->years_in_field);
        str_eq("staff.post", g->post, w->post);
        assert_int_equal(g->in_province, w->in_province);
        assert_int_equal(g->n_certificates, w->n_certificates);
        for (size_t k = 0; k < g->n_certificates; k++)
            str_eq("staff.certificates", g->certificates[k], w->certificates[k]);
    }
    assert_int_equal(got->n_capabilities, want->n_capabilities);
    for (size_t i = 0; i < got->n_capabilities; i++) {
        str_eq("capability.field", got->capabilities[i].field, want->capabilities[i].field);
        str_eq("capability.description", got->capabilities[i].description,
               want->capabilities[i].description);
    }
    assert_int_equal(got->n_oncall, want->n_oncall);
    for (size_t i = 0; i < got->n_oncall; i++) {
        str_eq("oncall.person", got->oncall[i].person, want->oncall[i].person);
        str_eq("oncall.mobile", got->oncall[i].mobile, want->oncall[i].mobile);
        assert_int_equal(got->oncall[i].starts_at, want->oncall[i].starts_at);
        assert_int_equal(got->oncall[i].ends_at, want->oncall[i].ends_at);
    }
}

static int64_t add_unit(struct fx *f, const char *name, const char *code, const char *province)
{
    struct yj_error e;
    struct unit u = {
        .name = name, .credit_code = code, .registered_capital = -1, .province = province};
    ASSERT_OK(store_unit_insert(f->tx, &u, NOW, &e));
    return u.id;
}

/* ---- insert and get ---- */

static void test_insert_get_roundtrip(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct full x;
    full_init(&x, "六盘水某网络安全技术有限公司", CODE_A);
    x.u.version = 77; /* ignored: the store sets these */
    x.u.deleted_at = 5;
    ASSERT_OK(store_unit_insert(f->tx, &x.u, NOW, &e));
    assert_true(x.u.id > 0);
    assert_int_equal(x.u.version, 1);
    assert_int_equal(x.u.created_at, NOW);
    assert_int_equal(x.u.updated_at, NOW);
    assert_int_equal(x.u.deleted_at, 0);
    recommit(f);

    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, x.u.id, false, &f->a, &got, &e));
    assert_int_equal(got.id, x.u.id);
    assert_int_equal(got.version, 1);
    assert_int_equal(got.created_at, NOW);
    assert_int_equal(got.updated_at, NOW);
    assert_int_equal(got.deleted_at, 0);
    assert_unit_equal(&got, &x.u);
    /* Contacts come back in the template's role order, whatever the insert order. */
    for (size_t i = 0; i < got.n_contacts; i++)
        assert_int_equal(got.contacts[i].role, (enum unit_contact_role)i);
    /* Certificates keep their order. */
    assert_string_equal(got.staff[0].certificates[0], "CISSP");
    assert_string_equal(got.staff[0].certificates[1], "CISP");
    assert_string_equal(got.staff[0].certificates[2], "CCIE");
    assert_int_equal(got.staff[1].n_certificates, 0);
    assert_string_equal(got.staff[2].certificates[0], "OSCP");

    assert_int_equal(store_unit_get(f->tx, x.u.id + 100, false, &f->a, &got, &e), YJ_ENOTFOUND);
}

static void test_insert_minimal(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct unit u = {.name = "最小单位", .credit_code = CODE_B, .registered_capital = -1};
    ASSERT_OK(store_unit_insert(f->tx, &u, NOW, &e));
    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, u.id, false, &f->a, &got, &e));
    assert_unit_equal(&got, &u);
    assert_int_equal(got.registered_capital, -1);
    assert_null(got.founded_on);
    assert_int_equal(
        got.n_contacts + got.n_offices + got.n_staff + got.n_capabilities + got.n_oncall, 0);
}

static void test_capabilities_reference_order(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct unit_capability caps[] = {
        {"mobile_internet", NULL}, {"early_warning", "预警"}, {"data_security", NULL}};
    struct unit_oncall oncall[] = {{"晚", NULL, NOW + 10, NOW + 20}, {"早", NULL, NOW, NOW + 5}};
    struct unit u = {.name = "n",
                     .credit_code = CODE_C,
                     .registered_capital = -1,
                     .capabilities = caps,
                     .n_capabilities = 3,
                     .oncall = oncall,
                     .n_oncall = 2};
    ASSERT_OK(store_unit_insert(f->tx, &u, NOW, &e));
    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, u.id, false, &f->a, &got, &e));
    assert_int_equal(got.n_capabilities, 3);
    assert_string_equal(got.capabilities[0].field, "early_warning");
    assert_string_equal(got.capabilities[0].description, "预警");
    assert_string_equal(got.capabilities[1].field, "data_security");
    assert_string_equal(got.capabilities[2].field, "mobile_internet");
    /* The roster in time order. */
    assert_string_equal(got.oncall[0].person, "早");
    assert_string_equal(got.oncall[1].person, "晚");
    /* An unknown capability field is refused by the reference table. */
    struct unit_capability bad[] = {{"cooking", NULL}};
    struct unit v = {.name = "v",
                     .credit_code = CODE_A,
                     .registered_capital = -1,
                     .capabilities = bad,
                     .n_capabilities = 1};
    assert_int_not_equal(store_unit_insert(f->tx, &v, NOW, &e), YJ_OK);
}

static void test_duplicate_credit_code(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t a = add_unit(f, "甲", CODE_A, NULL);
    struct unit u = {.name = "乙", .credit_code = CODE_A, .registered_capital = -1};
    yj_error_clear(&e);
    assert_int_equal(store_unit_insert(f->tx, &u, NOW, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "credit_code");
    assert_true(e.msg[0] != '\0');
    /* On update too: b cannot take a's code. */
    int64_t b = add_unit(f, "乙", CODE_B, NULL);
    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, b, false, &f->a, &got, &e));
    got.credit_code = CODE_A;
    yj_error_clear(&e);
    assert_int_equal(store_unit_update(f->tx, &got, 1, NOW + 1, &e), YJ_ECONFLICT);
    assert_string_equal(e.field, "credit_code");
    recommit(f);
    ASSERT_OK(store_unit_get(f->tx, b, false, &f->a, &got, &e));
    assert_string_equal(got.credit_code, CODE_B);
    assert_int_equal(got.version, 1);
    /* Keeping one's own code on update is no conflict. */
    got.name = "乙（改）";
    ASSERT_OK(store_unit_update(f->tx, &got, 1, NOW + 1, &e));
    (void)a;
}

/* ---- update ---- */

static void test_update_replaces_children(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct full x;
    full_init(&x, "原名", CODE_A);
    ASSERT_OK(store_unit_insert(f->tx, &x.u, NOW, &e));
    recommit(f);

    /* Fewer contacts, one office, one staff member with new certificates, no roster. */
    struct unit_contact c[] = {
        {UNIT_CONTACT_SUPPORT_LEAD, "新负责人", NULL, "13900139000", NULL, NULL}};
    struct unit_office o[] = {{.name = "新址", .floor_area_m2 = 50, .staff_count = -1}};
    const char *certs[] = {"CISAW", "CISP-PTE"};
    struct unit_staff s[] = {
        {.name = "新人", .years_in_field = 1, .certificates = certs, .n_certificates = 2}};
    struct unit_capability caps[] = {{"data_security", "新描述"}};
    struct unit u = x.u;
    u.name = "新名";
    u.registered_capital = -1;
    u.address = NULL;
    u.contacts = c;
    u.n_contacts = 1;
    u.offices = o;
    u.n_offices = 1;
    u.staff = s;
    u.n_staff = 1;
    u.capabilities = caps;
    u.n_capabilities = 1;
    u.oncall = NULL;
    u.n_oncall = 0;
    ASSERT_OK(store_unit_update(f->tx, &u, 1, NOW + 1000, &e));
    assert_int_equal(u.version, 2);
    assert_int_equal(u.updated_at, NOW + 1000);
    recommit(f);

    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, x.u.id, false, &f->a, &got, &e));
    assert_int_equal(got.version, 2);
    assert_int_equal(got.created_at, NOW);
    assert_int_equal(got.updated_at, NOW + 1000);
    assert_unit_equal(&got, &u);
    assert_null(got.address);
    assert_int_equal(got.registered_capital, -1);

    /* Again, to version 3. */
    ASSERT_OK(store_unit_update(f->tx, &u, 2, NOW + 2000, &e));
    assert_int_equal(u.version, 3);
}

static void test_update_stale_version(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct full x;
    full_init(&x, "原名", CODE_A);
    ASSERT_OK(store_unit_insert(f->tx, &x.u, NOW, &e));
    recommit(f);

    struct unit u = x.u;
    u.name = "不该写入";
    u.n_contacts = 0;
    u.n_staff = 0;
    yj_error_clear(&e);
    assert_int_equal(store_unit_update(f->tx, &u, 2, NOW + 5, &e), YJ_EPRECOND);
    assert_int_equal(e.code, YJ_EPRECOND);
    assert_int_equal(u.version, 1); /* not bumped */
    assert_int_equal(store_unit_update(f->tx, &u, 0, NOW + 5, &e), YJ_EPRECOND);
    /* Even if the caller commits anyway, nothing changed. */
    recommit(f);
    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, x.u.id, false, &f->a, &got, &e));
    assert_int_equal(got.version, 1);
    assert_int_equal(got.updated_at, NOW);
    assert_unit_equal(&got, &x.u);
    /* An unknown id is the same refusal. */
    u.id = 4242;
    assert_int_equal(store_unit_update(f->tx, &u, 1, NOW + 5, &e), YJ_EPRECOND);
}

/* ---- delete ---- */

static void test_soft_delete(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct full x;
    full_init(&x, "将被删除", CODE_A);
    ASSERT_OK(store_unit_insert(f->tx, &x.u, NOW, &e));
    assert_int_equal(store_unit_delete(f->tx, x.u.id, 2, NOW + 1, &e), YJ_EPRECOND);
    ASSERT_OK(store_unit_delete(f->tx, x.u.id, 1, NOW + 1, &e));
    recommit(f);

    struct unit got;
    assert_int_equal(store_unit_get(f->tx, x.u.id, false, &f->a, &got, &e), YJ_ENOTFOUND);
    /* The row and its children stay, marked deleted. */
    ASSERT_OK(store_unit_get(f->tx, x.u.id, true, &f->a, &got, &e));
    assert_int_equal(got.deleted_at, NOW + 1);
    assert_int_equal(got.updated_at, NOW + 1);
    assert_int_equal(got.version, 2);
    assert_unit_equal(&got, &x.u);
    /* Not listed, not updatable, not deletable again. */
    struct store_unit_summary *items;
    size_t n = 9;
    ASSERT_OK(
        store_unit_list(f->tx, &(struct store_unit_query){.limit = 10}, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
    assert_int_equal(store_unit_update(f->tx, &got, 2, NOW + 2, &e), YJ_EPRECOND);
    assert_int_equal(store_unit_delete(f->tx, x.u.id, 2, NOW + 2, &e), YJ_EPRECOND);
    assert_int_equal(store_unit_delete(f->tx, 999, 1, NOW + 2, &e), YJ_EPRECOND);
}

static void test_credit_code_reusable_after_delete(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t old = add_unit(f, "旧", CODE_A, NULL);
    ASSERT_OK(store_unit_delete(f->tx, old, 1, NOW + 1, &e));
    int64_t fresh = add_unit(f, "新", CODE_A, NULL);
    assert_true(fresh != old);
    /* And another deleted one with the same code may sit beside them. */
    ASSERT_OK(store_unit_delete(f->tx, fresh, 1, NOW + 2, &e));
    int64_t third = add_unit(f, "第三", CODE_A, NULL);
    struct unit got;
    ASSERT_OK(store_unit_get(f->tx, third, false, &f->a, &got, &e));
    assert_string_equal(got.credit_code, CODE_A);
    /* Only one live unit may hold it. */
    struct unit u = {.name = "第四", .credit_code = CODE_A, .registered_capital = -1};
    assert_int_equal(store_unit_insert(f->tx, &u, NOW, &e), YJ_ECONFLICT);
}

/* ---- list ---- */

static size_t list(struct fx *f, const struct store_unit_query *q,
                   struct store_unit_summary **items)
{
    struct yj_error e;
    size_t n = 0;
    ASSERT_OK(store_unit_list(f->tx, q, &f->a, items, &n, &e));
    for (size_t i = 1; i < n; i++)
        assert_true((*items)[i].id > (*items)[i - 1].id);
    return n;
}

static void assert_list(struct fx *f, const struct store_unit_query *q, const char *want)
{
    struct store_unit_summary *items;
    size_t n = list(f, q, &items);
    char got[512] = "";
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(got + off, sizeof got - off, "%s%s", i ? "," : "", items[i].name);
    if (strcmp(got, want) != 0)
        fail_msg("q=%s province=%s: got \"%s\", want \"%s\"", q->q ? q->q : "-",
                 q->province ? q->province : "-", got, want);
}

static void test_list_filters(void **state)
{
    struct fx *f = *state;
    int64_t a = add_unit(f, "贵州安信科技", "91520200MA6D000001", "贵州省");
    add_unit(f, "北京安全服务", "91110108MA01000002", "北京市");
    add_unit(f, "贵阳数据安全", "91520100MA6E000003", "贵州省");
    add_unit(f, "100%_安全", "92330000MA2A000004", "浙江省");
    assert_list(f, &(struct store_unit_query){.limit = 50},
                "贵州安信科技,北京安全服务,贵阳数据安全,100%_安全");
    /* q: a substring of the name... */
    assert_list(f, &(struct store_unit_query){.q = "安全", .limit = 50},
                "北京安全服务,贵阳数据安全,100%_安全");
    assert_list(f, &(struct store_unit_query){.q = "贵", .limit = 50}, "贵州安信科技,贵阳数据安全");
    /* ...or a prefix of the credit code, not a substring of it. */
    assert_list(f, &(struct store_unit_query){.q = "915202", .limit = 50}, "贵州安信科技");
    assert_list(f, &(struct store_unit_query){.q = "9152", .limit = 50},
                "贵州安信科技,贵阳数据安全");
    assert_list(f, &(struct store_unit_query){.q = "MA6D", .limit = 50}, "");
    assert_list(f, &(struct store_unit_query){.q = "000003", .limit = 50}, "");
    /* Wildcards are literal. */
    assert_list(f, &(struct store_unit_query){.q = "%", .limit = 50}, "100%_安全");
    assert_list(f, &(struct store_unit_query){.q = "_", .limit = 50}, "100%_安全");
    assert_list(f, &(struct store_unit_query){.q = "9_", .limit = 50}, "");
    /* Province. */
    assert_list(f, &(struct store_unit_query){.province = "贵州省", .limit = 50},
                "贵州安信科技,贵阳数据安全");
    assert_list(f, &(struct store_unit_query){.province = "贵州", .limit = 50}, "");
    assert_list(f, &(struct store_unit_query){.q = "数据", .province = "贵州省", .limit = 50},
                "贵阳数据安全");
    /* only_id narrows to one unit (a unit user's scope), with other filters still applied. */
    assert_list(f, &(struct store_unit_query){.only_id = a, .limit = 50}, "贵州安信科技");
    assert_list(f, &(struct store_unit_query){.only_id = a, .q = "北京", .limit = 50}, "");
    assert_list(f, &(struct store_unit_query){.only_id = 999, .limit = 50}, "");
}

static void test_list_paging(void **state)
{
    struct fx *f = *state;
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        char name[16], code[32];
        snprintf(name, sizeof name, "u%d", i);
        snprintf(code, sizeof code, "9152020000000000%02d", i);
        ids[i] = add_unit(f, yj_arena_strdup(&f->a, name), yj_arena_strdup(&f->a, code), NULL);
    }
    struct store_unit_summary *items;
    size_t n = list(f, &(struct store_unit_query){.limit = 3}, &items);
    assert_int_equal(n, 3);
    assert_int_equal(items[2].id, ids[2]);
    n = list(f, &(struct store_unit_query){.after_id = ids[2], .limit = 3}, &items);
    assert_int_equal(n, 3);
    assert_int_equal(items[0].id, ids[3]);
    n = list(f, &(struct store_unit_query){.after_id = ids[5], .limit = 3}, &items);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, ids[6]);
    n = list(f, &(struct store_unit_query){.after_id = ids[6], .limit = 3}, &items);
    assert_int_equal(n, 0);
    /* A zero limit still gives a valid (one-row) page rather than failing. */
    n = list(f, &(struct store_unit_query){.limit = 0}, &items);
    assert_true(n <= 1);
}

static void test_list_summaries(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct full x;
    full_init(&x, "完整", CODE_A);
    ASSERT_OK(store_unit_insert(f->tx, &x.u, NOW, &e));
    int64_t bare = add_unit(f, "空", CODE_B, NULL);
    struct full y;
    full_init(&y, "另一个", CODE_C);
    struct unit_capability caps[] = {{"mobile_internet", NULL}, {"monitoring_analysis", NULL}};
    y.u.capabilities = caps;
    y.u.n_capabilities = 2;
    y.u.n_staff = 1;
    ASSERT_OK(store_unit_insert(f->tx, &y.u, NOW + 7, &e));

    struct store_unit_summary *items;
    size_t n = list(f, &(struct store_unit_query){.limit = 10}, &items);
    assert_int_equal(n, 3);
    const struct store_unit_summary *s = &items[0];
    assert_int_equal(s->id, x.u.id);
    assert_int_equal(s->version, 1);
    assert_string_equal(s->name, "完整");
    assert_string_equal(s->credit_code, CODE_A);
    assert_string_equal(s->province, "贵州省");
    assert_string_equal(s->city, "六盘水市");
    assert_int_equal(s->registered_capital, 20000000);
    assert_int_equal(s->staff_count, 3);
    assert_int_equal(s->updated_at, NOW);
    assert_int_equal(s->n_capabilities, 3);
    assert_string_equal(s->capabilities[0], "monitoring_analysis");
    assert_string_equal(s->capabilities[1], "penetration_testing");
    assert_string_equal(s->capabilities[2], "emergency_handling");

    s = &items[1];
    assert_int_equal(s->id, bare);
    assert_int_equal(s->registered_capital, -1);
    assert_null(s->province);
    assert_int_equal(s->staff_count, 0);
    assert_int_equal(s->n_capabilities, 0);

    s = &items[2];
    assert_int_equal(s->staff_count, 1);
    assert_int_equal(s->updated_at, NOW + 7);
    assert_int_equal(s->n_capabilities, 2);
    assert_string_equal(s->capabilities[0], "monitoring_analysis"); /* reference order */
    assert_string_equal(s->capabilities[1], "mobile_internet");

    /* A page that starts after the first unit still gets its own capabilities only. */
    n = list(f, &(struct store_unit_query){.after_id = bare, .limit = 10}, &items);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].n_capabilities, 2);
    n = list(f, &(struct store_unit_query){.only_id = x.u.id, .limit = 10}, &items);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].n_capabilities, 3);
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_insert_get_roundtrip),
        T(test_insert_minimal),
        T(test_capabilities_reference_order),
        T(test_duplicate_credit_code),
        T(test_update_replaces_children),
        T(test_update_stale_version),
        T(test_soft_delete),
        T(test_credit_code_reusable_after_delete),
        T(test_list_filters),
        T(test_list_paging),
        T(test_list_summaries),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
