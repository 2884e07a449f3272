/*
 * test_store_users.c - users (insert, the unique username, reads, update,
 * list with q / role / keyset paging, and LIKE wildcards in q matched
 * literally), sessions (insert, get, touch, delete, delete all of a user but
 * one, purge by idle and absolute expiry) and API tokens (insert, get by id and
 * by hash, list one user's or everybody's, revoke, touch).
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

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A migrated store in a fresh directory, with one open write transaction. */
struct fx {
    char dir[64];
    struct store *st;
    struct store_tx *tx;
    struct yj_arena a;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-users-XXXXXX");
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

static int64_t add_user(struct fx *f, const char *name, const char *display, const char *role)
{
    struct yj_error e;
    struct store_user u = {
        .username = name,
        .display_name = display,
        .role = role,
        .password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
        .created_at = 1000,
        .updated_at = 1000,
    };
    ASSERT_OK(store_user_insert(f->tx, &u, &e));
    assert_true(u.id > 0);
    return u.id;
}

/* ---- users ---- */

static void test_user_insert_get(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_user u = {
        .username = "zhang.san",
        .display_name = "张三",
        .role = "auditor",
        .password_hash = "$argon2id$hash",
        .disabled = true,
        .created_at = 1767949200000,
        .updated_at = 1767949200001,
    };
    ASSERT_OK(store_user_insert(f->tx, &u, &e));
    assert_true(u.id > 0);
    struct store_user got;
    memset(&got, 0xa5, sizeof got);
    ASSERT_OK(store_user_get(f->tx, u.id, &f->a, &got, &e));
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.username, "zhang.san");
    assert_string_equal(got.display_name, "张三");
    assert_string_equal(got.role, "auditor");
    assert_int_equal(got.unit_id, 0);
    assert_string_equal(got.password_hash, "$argon2id$hash");
    assert_true(got.disabled);
    assert_int_equal(got.failed_logins, 0);
    assert_int_equal(got.locked_until, 0);
    assert_int_equal(got.created_at, 1767949200000);
    assert_int_equal(got.updated_at, 1767949200001);
    struct store_user by_name;
    ASSERT_OK(store_user_get_by_name(f->tx, "zhang.san", &f->a, &by_name, &e));
    assert_int_equal(by_name.id, u.id);
    /* A display name is optional. */
    int64_t id2 = add_user(f, "li.si", NULL, "expert");
    ASSERT_OK(store_user_get(f->tx, id2, &f->a, &got, &e));
    assert_null(got.display_name);
    assert_false(got.disabled);
    /* Missing ones. */
    assert_int_equal(store_user_get(f->tx, 9999, &f->a, &got, &e), YJ_ENOTFOUND);
    assert_int_equal(store_user_get_by_name(f->tx, "ZHANG.SAN", &f->a, &got, &e), YJ_ENOTFOUND);
    assert_int_equal(store_user_get_by_name(f->tx, "nobody", &f->a, &got, &e), YJ_ENOTFOUND);
    int64_t n = 0;
    ASSERT_OK(store_user_count(f->tx, &n, &e));
    assert_int_equal(n, 2);
}

static void test_user_duplicate(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    add_user(f, "dup", NULL, "authority");
    struct store_user u = {
        .username = "dup", .role = "expert", .password_hash = "x", .created_at = 1};
    yj_error_clear(&e);
    assert_int_equal(store_user_insert(f->tx, &u, &e), YJ_ECONFLICT);
    assert_int_equal(e.code, YJ_ECONFLICT);
    assert_string_equal(e.field, "username");
    assert_int_equal(u.id, 0);
    /* The transaction is still usable after the refusal. */
    add_user(f, "dup2", NULL, "authority");
    int64_t n = 0;
    ASSERT_OK(store_user_count(f->tx, &n, &e));
    assert_int_equal(n, 2);
}

static void test_user_role_checks(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    /* The schema refuses an unknown role and a unit user without a unit. */
    struct store_user u = {.username = "x", .role = "admin", .password_hash = "x"};
    assert_int_not_equal(store_user_insert(f->tx, &u, &e), YJ_OK);
    u = (struct store_user){.username = "y", .role = "unit", .password_hash = "x"};
    assert_int_not_equal(store_user_insert(f->tx, &u, &e), YJ_OK);
    /* ... and a unit that does not exist (foreign key). */
    u.unit_id = 12345;
    assert_int_not_equal(store_user_insert(f->tx, &u, &e), YJ_OK);
}

static void test_user_update(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t id = add_user(f, "wang", "王五", "authority");
    struct store_user u;
    ASSERT_OK(store_user_get(f->tx, id, &f->a, &u, &e));
    u.display_name = "王五 (新)";
    u.password_hash = "$argon2id$new";
    u.disabled = true;
    u.failed_logins = 3;
    u.locked_until = 1767949200000;
    u.updated_at = 2000;
    u.username = "renamed"; /* not a mutable field */
    u.role = "expert";      /* nor this */
    ASSERT_OK(store_user_update(f->tx, &u, &e));
    struct store_user got;
    ASSERT_OK(store_user_get(f->tx, id, &f->a, &got, &e));
    assert_string_equal(got.username, "wang");
    assert_string_equal(got.role, "authority");
    assert_string_equal(got.display_name, "王五 (新)");
    assert_string_equal(got.password_hash, "$argon2id$new");
    assert_true(got.disabled);
    assert_int_equal(got.failed_logins, 3);
    assert_int_equal(got.locked_until, 1767949200000);
    assert_int_equal(got.created_at, 1000);
    assert_int_equal(got.updated_at, 2000);
    /* Back to "not locked" and no display name. */
    got.locked_until = 0;
    got.display_name = NULL;
    got.failed_logins = 0;
    ASSERT_OK(store_user_update(f->tx, &got, &e));
    ASSERT_OK(store_user_get(f->tx, id, &f->a, &u, &e));
    assert_int_equal(u.locked_until, 0);
    assert_null(u.display_name);
    /* An unknown id. */
    got.id = 4242;
    assert_int_equal(store_user_update(f->tx, &got, &e), YJ_ENOTFOUND);
}

static size_t list_names(struct fx *f, const struct store_user_query *q, const char **names)
{
    struct yj_error e;
    struct store_user *items = NULL;
    size_t n = 0;
    ASSERT_OK(store_user_list(f->tx, q, &f->a, &items, &n, &e));
    for (size_t i = 0; i < n; i++) {
        names[i] = items[i].username;
        if (i)
            assert_true(items[i].id > items[i - 1].id); /* id order */
    }
    return n;
}

static void assert_names(struct fx *f, const struct store_user_query *q, const char *want)
{
    const char *names[64];
    size_t n = list_names(f, q, names);
    char got[512] = "";
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(got + off, sizeof got - off, "%s%s", i ? "," : "", names[i]);
    if (strcmp(got, want) != 0)
        fail_msg("q=%s role=%s after=%lld limit=%d: got \"%s\", want \"%s\"", q->q ? q->q : "-",
                 q->role ? q->role : "-", (long long)q->after_id, q->limit, got, want);
}

static void test_user_list(void **state)
{
    struct fx *f = *state;
    add_user(f, "alice", "Alice Liddell", "authority");
    add_user(f, "bob", "鲍勃", "expert");
    add_user(f, "carol", "Carol", "expert");
    add_user(f, "dave", "李大卫", "auditor");
    add_user(f, "eve", NULL, "security_reviewer");

    assert_names(f, &(struct store_user_query){.limit = 50}, "alice,bob,carol,dave,eve");
    /* q matches a substring of the username or of the display name. */
    assert_names(f, &(struct store_user_query){.q = "a", .limit = 50}, "alice,carol,dave");
    assert_names(f, &(struct store_user_query){.q = "大卫", .limit = 50}, "dave");
    assert_names(f, &(struct store_user_query){.q = "liddell", .limit = 50}, "alice");
    assert_names(f, &(struct store_user_query){.q = "zzz", .limit = 50}, "");
    /* role filters exactly. */
    assert_names(f, &(struct store_user_query){.role = "expert", .limit = 50}, "bob,carol");
    assert_names(f, &(struct store_user_query){.q = "o", .role = "expert", .limit = 50},
                 "bob,carol");
    assert_names(f, &(struct store_user_query){.role = "unit", .limit = 50}, "");
    /* Keyset paging: limit, then after the last id seen. */
    const char *names[64];
    size_t n = list_names(f, &(struct store_user_query){.limit = 2}, names);
    assert_int_equal(n, 2);
    struct yj_error e;
    struct store_user last;
    ASSERT_OK(store_user_get_by_name(f->tx, names[1], &f->a, &last, &e));
    assert_names(f, &(struct store_user_query){.after_id = last.id, .limit = 2}, "carol,dave");
    assert_names(f, &(struct store_user_query){.after_id = last.id + 2, .limit = 2}, "eve");
    assert_names(f, &(struct store_user_query){.after_id = last.id + 3, .limit = 2}, "");
    assert_names(f, &(struct store_user_query){.role = "expert", .after_id = last.id, .limit = 5},
                 "carol");
}

static void test_user_list_wildcards_literal(void **state)
{
    struct fx *f = *state;
    add_user(f, "a_b", NULL, "expert");
    add_user(f, "axb", NULL, "expert");
    add_user(f, "100%", NULL, "expert");
    add_user(f, "1000", NULL, "expert");
    add_user(f, "wow!", NULL, "expert");
    add_user(f, "wow", "50% off", "expert");
    /* "_" and "%" are characters to look for, not LIKE wildcards. */
    assert_names(f, &(struct store_user_query){.q = "_", .limit = 50}, "a_b");
    assert_names(f, &(struct store_user_query){.q = "a_b", .limit = 50}, "a_b");
    assert_names(f, &(struct store_user_query){.q = "%", .limit = 50}, "100%,wow");
    assert_names(f, &(struct store_user_query){.q = "0%", .limit = 50}, "100%,wow");
    assert_names(f, &(struct store_user_query){.q = "100%", .limit = 50}, "100%");
    /* The escape character itself is literal too. */
    assert_names(f, &(struct store_user_query){.q = "!", .limit = 50}, "wow!");
    assert_names(f, &(struct store_user_query){.q = "w!", .limit = 50}, "wow!");
    assert_names(f, &(struct store_user_query){.q = "!%", .limit = 50}, "");
}

static void test_user_list_nonpositive_limit(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "user%02d", i);
        add_user(f, yj_arena_strdup(&f->a, name), NULL, "expert");
    }
    /* The array is sized for max(limit, 1) rows; the query must never return more
     * (SQLite reads a negative LIMIT as "no limit"). */
    const int limits[] = {0, -1, -100};
    for (size_t i = 0; i < YJ_ARRAY_LEN(limits); i++) {
        struct store_user *items = NULL;
        size_t n = 99;
        struct store_user_query q = {.limit = limits[i]};
        ASSERT_OK(store_user_list(f->tx, &q, &f->a, &items, &n, &e));
        if (n > 1)
            fail_msg("limit %d gave %zu rows into a one-row array", limits[i], n);
        if (n == 1)
            assert_string_equal(items[0].username, "user00");
    }
}

/* ---- sessions ---- */

static void add_session(struct fx *f, const char *hash, int64_t user, int64_t created,
                        int64_t last_seen, int64_t expires)
{
    struct yj_error e;
    struct store_session s = {hash, user, created, last_seen, expires};
    ASSERT_OK(store_session_insert(f->tx, &s, &e));
}

static bool session_exists(struct fx *f, const char *hash)
{
    struct yj_error e;
    struct store_session s;
    enum yj_err rc = store_session_get(f->tx, hash, &f->a, &s, &e);
    assert_true(rc == YJ_OK || rc == YJ_ENOTFOUND);
    return rc == YJ_OK;
}

static void test_sessions(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "s", NULL, "authority");
    add_session(f, "h1", uid, 100, 150, 1000);
    struct store_session s;
    ASSERT_OK(store_session_get(f->tx, "h1", &f->a, &s, &e));
    assert_string_equal(s.id_hash, "h1");
    assert_int_equal(s.user_id, uid);
    assert_int_equal(s.created_at, 100);
    assert_int_equal(s.last_seen, 150);
    assert_int_equal(s.expires_at, 1000);
    /* The same id twice is a conflict. */
    struct store_session again = {"h1", uid, 1, 1, 2};
    assert_int_equal(store_session_insert(f->tx, &again, &e), YJ_ECONFLICT);
    /* A session belongs to an existing user. */
    struct store_session orphan = {"h9", 999, 1, 1, 2};
    assert_int_not_equal(store_session_insert(f->tx, &orphan, &e), YJ_OK);

    ASSERT_OK(store_session_touch(f->tx, "h1", 600, &e));
    ASSERT_OK(store_session_get(f->tx, "h1", &f->a, &s, &e));
    assert_int_equal(s.last_seen, 600);
    assert_int_equal(s.created_at, 100);
    assert_int_equal(s.expires_at, 1000);
    ASSERT_OK(store_session_touch(f->tx, "unknown", 600, &e)); /* nothing to touch: no error */

    ASSERT_OK(store_session_delete(f->tx, "h1", &e));
    assert_false(session_exists(f, "h1"));
    assert_int_equal(store_session_get(f->tx, "h1", &f->a, &s, &e), YJ_ENOTFOUND);
    ASSERT_OK(store_session_delete(f->tx, "h1", &e)); /* deleting twice is fine */
}

static void test_sessions_delete_user(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t u1 = add_user(f, "one", NULL, "authority");
    int64_t u2 = add_user(f, "two", NULL, "authority");
    add_session(f, "a1", u1, 1, 1, 100);
    add_session(f, "a2", u1, 1, 1, 100);
    add_session(f, "a3", u1, 1, 1, 100);
    add_session(f, "b1", u2, 1, 1, 100);
    /* Keep the caller's own session, end the others of that user only. */
    ASSERT_OK(store_session_delete_user(f->tx, u1, "a2", &e));
    assert_false(session_exists(f, "a1"));
    assert_true(session_exists(f, "a2"));
    assert_false(session_exists(f, "a3"));
    assert_true(session_exists(f, "b1"));
    /* NULL keeps none. */
    ASSERT_OK(store_session_delete_user(f->tx, u1, NULL, &e));
    assert_false(session_exists(f, "a2"));
    assert_true(session_exists(f, "b1"));
}

static void test_sessions_purge(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "p", NULL, "authority");
    const int64_t now = 10000, idle_cutoff = 8000;
    add_session(f, "live", uid, 5000, 9000, 20000);
    add_session(f, "idle", uid, 5000, 7999, 20000);      /* last seen before the cutoff */
    add_session(f, "idle_edge", uid, 5000, 8000, 20000); /* exactly at it: kept */
    add_session(f, "expired", uid, 1000, 9999, 9999);    /* absolute expiry passed */
    add_session(f, "exp_edge", uid, 1000, 9999, 10000);  /* expires at now: gone */
    add_session(f, "exp_next", uid, 1000, 9999, 10001);
    ASSERT_OK(store_session_purge(f->tx, now, idle_cutoff, &e));
    assert_true(session_exists(f, "live"));
    assert_false(session_exists(f, "idle"));
    assert_true(session_exists(f, "idle_edge"));
    assert_false(session_exists(f, "expired"));
    assert_false(session_exists(f, "exp_edge"));
    assert_true(session_exists(f, "exp_next"));
}

/* ---- tokens ---- */

static int64_t add_token(struct fx *f, int64_t user, const char *name, const char *hash,
                         int64_t expires)
{
    struct yj_error e;
    struct store_token t = {
        .user_id = user,
        .name = name,
        .token_hash = hash,
        .prefix = "yj_abcd",
        .created_at = 500,
        .expires_at = expires,
        .last_used_at = 77, /* not written by insert */
        .revoked_at = 88,   /* nor this */
    };
    ASSERT_OK(store_token_insert(f->tx, &t, &e));
    assert_true(t.id > 0);
    return t.id;
}

static void test_tokens(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "t", NULL, "authority");
    int64_t id = add_token(f, uid, "ci", "hash-1", 0);
    int64_t id2 = add_token(f, uid, "expiring", "hash-2", 99999);
    struct store_token t;
    ASSERT_OK(store_token_get(f->tx, id, &f->a, &t, &e));
    assert_int_equal(t.id, id);
    assert_int_equal(t.user_id, uid);
    assert_string_equal(t.name, "ci");
    assert_string_equal(t.token_hash, "hash-1");
    assert_string_equal(t.prefix, "yj_abcd");
    assert_int_equal(t.created_at, 500);
    assert_int_equal(t.last_used_at, 0);
    assert_int_equal(t.expires_at, 0);
    assert_int_equal(t.revoked_at, 0);
    ASSERT_OK(store_token_get_by_hash(f->tx, "hash-2", &f->a, &t, &e));
    assert_int_equal(t.id, id2);
    assert_int_equal(t.expires_at, 99999);
    assert_int_equal(store_token_get(f->tx, 777, &f->a, &t, &e), YJ_ENOTFOUND);
    assert_int_equal(store_token_get_by_hash(f->tx, "nope", &f->a, &t, &e), YJ_ENOTFOUND);
    /* A hash is unique. */
    struct store_token dup = {
        .user_id = uid, .name = "d", .token_hash = "hash-1", .prefix = "p", .created_at = 1};
    assert_int_equal(store_token_insert(f->tx, &dup, &e), YJ_ECONFLICT);

    ASSERT_OK(store_token_touch(f->tx, id, 1234, &e));
    ASSERT_OK(store_token_get(f->tx, id, &f->a, &t, &e));
    assert_int_equal(t.last_used_at, 1234);
    assert_int_equal(t.revoked_at, 0);

    ASSERT_OK(store_token_revoke(f->tx, id, 2000, &e));
    ASSERT_OK(store_token_get(f->tx, id, &f->a, &t, &e));
    assert_int_equal(t.revoked_at, 2000);
    /* Revoking again keeps the first time. */
    ASSERT_OK(store_token_revoke(f->tx, id, 3000, &e));
    ASSERT_OK(store_token_get(f->tx, id, &f->a, &t, &e));
    assert_int_equal(t.revoked_at, 2000);
    /* The other token is untouched. */
    ASSERT_OK(store_token_get(f->tx, id2, &f->a, &t, &e));
    assert_int_equal(t.revoked_at, 0);
    assert_int_equal(t.last_used_at, 0);
}

static void test_token_list(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t u1 = add_user(f, "u1", NULL, "authority");
    int64_t u2 = add_user(f, "u2", NULL, "expert");
    int64_t t1 = add_token(f, u1, "a", "h-a", 0);
    int64_t t2 = add_token(f, u2, "b", "h-b", 0);
    int64_t t3 = add_token(f, u1, "c", "h-c", 0);
    int64_t t4 = add_token(f, u2, "d", "h-d", 0);
    struct store_token *items;
    size_t n = 0;
    /* One user's own. */
    ASSERT_OK(store_token_list(f->tx, u1, 0, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, t1);
    assert_int_equal(items[1].id, t3);
    assert_string_equal(items[1].name, "c");
    ASSERT_OK(store_token_list(f->tx, u2, 0, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, t2);
    assert_int_equal(items[1].id, t4);
    /* Everybody's, in id order, and paged. */
    ASSERT_OK(store_token_list(f->tx, 0, 0, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 4);
    const int64_t all[] = {t1, t2, t3, t4};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(items[i].id, all[i]);
    ASSERT_OK(store_token_list(f->tx, 0, 0, 3, &f->a, &items, &n, &e));
    assert_int_equal(n, 3);
    ASSERT_OK(store_token_list(f->tx, 0, items[2].id, 3, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, t4);
    ASSERT_OK(store_token_list(f->tx, u1, t1, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, t3);
    /* Revoked tokens still list (they show as revoked). */
    ASSERT_OK(store_token_revoke(f->tx, t3, 9, &e));
    ASSERT_OK(store_token_list(f->tx, u1, 0, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(items[1].revoked_at, 9);
    /* A user without tokens. */
    int64_t u3 = add_user(f, "u3", NULL, "auditor");
    ASSERT_OK(store_token_list(f->tx, u3, 0, 50, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
}

static void test_token_list_nonpositive_limit(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    int64_t uid = add_user(f, "many", NULL, "authority");
    for (int i = 0; i < 40; i++) {
        char hash[16];
        snprintf(hash, sizeof hash, "h%02d", i);
        add_token(f, uid, "t", yj_arena_strdup(&f->a, hash), 0);
    }
    const int limits[] = {0, -1};
    for (size_t i = 0; i < YJ_ARRAY_LEN(limits); i++) {
        for (int64_t who = 0; who <= uid; who += uid) {
            struct store_token *items = NULL;
            size_t n = 99;
            ASSERT_OK(store_token_list(f->tx, who, 0, limits[i], &f->a, &items, &n, &e));
            if (n > 1)
                fail_msg("limit %d gave %zu rows into a one-row array", limits[i], n);
            if (n == 1)
                assert_string_equal(items[0].token_hash, "h00");
        }
    }
}

int main(void)
{
    yj_log_set_level(YJ_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_user_insert_get),
        T(test_user_duplicate),
        T(test_user_role_checks),
        T(test_user_update),
        T(test_user_list),
        T(test_user_list_wildcards_literal),
        T(test_user_list_nonpositive_limit),
        T(test_sessions),
        T(test_sessions_delete_user),
        T(test_sessions_purge),
        T(test_tokens),
        T(test_token_list),
        T(test_token_list_nonpositive_limit),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
