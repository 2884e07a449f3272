/*
 * admin.c - the administrative subcommands: init, migrate, user, audit verify,
 * backup. Changes made here are audited like any other, with actor "system".
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "attach/attach.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/yj.h"

/* Parses only --data and --help for the simple commands; returns -1 to continue, else exit code. */
struct common_opts {
    const char *data;
    const char *to;
    const char *username, *role, *display_name, *audit_alg;
    int64_t unit_id;
    bool status;
};

static int parse(int argc, char **argv, const char *cmd, const char *usage_text,
                 struct common_opts *o)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"to", required_argument, NULL, 'o'},
        {"username", required_argument, NULL, 'u'},
        {"role", required_argument, NULL, 'r'},
        {"unit", required_argument, NULL, 'n'},
        {"display-name", required_argument, NULL, 'N'},
        {"audit-alg", required_argument, NULL, 'a'},
        {"status", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->data = optarg;
            break;
        case 'o':
            o->to = optarg;
            break;
        case 'u':
            o->username = optarg;
            break;
        case 'r':
            o->role = optarg;
            break;
        case 'n':
            if (yj_parse_i64(optarg, 1, INT64_MAX, &o->unit_id) != 0)
                return cli_fail(cmd, "--unit must be a unit id");
            break;
        case 'N':
            o->display_name = optarg;
            break;
        case 'a':
            o->audit_alg = optarg;
            break;
        case 's':
            o->status = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    o->data = cli_data_dir(o->data);
    return -1;
}

/* The password from an environment variable, or a generated one (printed by the caller). */
static const char *password_from(const char *env, char *generated, size_t n, bool *was_generated)
{
    const char *pw = getenv(env);
    *was_generated = !(pw && *pw);
    if (*was_generated) {
        auth_password_generate(generated, n);
        pw = generated;
    }
    return pw;
}

static enum yj_err add_user(struct store *st, const char *username, const char *role,
                            int64_t unit_id, const char *display_name, const char *password,
                            struct yj_error *err)
{
    enum auth_role r;
    if (auth_role_parse(role, &r) != 0)
        return yj_error_set(err, YJ_EINVAL, "role", "unknown role %s", role);
    if ((r == AUTH_ROLE_UNIT) != (unit_id > 0))
        return yj_error_set(err, YJ_EINVAL, "unit",
                            "--unit is required for, and only for, role unit");
    char hash[AUTH_HASH_MAX];
    enum yj_err rc = auth_password_policy(password, "password", err);
    if (!rc)
        rc = auth_password_hash(password, hash, err);
    if (rc)
        return rc;
    int64_t now = yj_now_ms(yj_clock_default());
    struct store_user u = {.username = username,
                           .display_name = display_name,
                           .role = role,
                           .unit_id = unit_id,
                           .password_hash = hash,
                           .created_at = now,
                           .updated_at = now};
    struct store_tx *tx = NULL;
    rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = store_user_insert(tx, &u, err);
    if (!rc) {
        char id[24], changes[256];
        snprintf(id, sizeof id, "%lld", (long long)u.id);
        snprintf(changes, sizeof changes, "{\"username\":\"%s\",\"role\":\"%s\"}", username, role);
        struct audit_entry e = {.actor = "system",
                                .action = "user.create",
                                .object_type = "user",
                                .object_id = id,
                                .changes = changes};
        rc = audit_append(tx, &e, now, err);
    }
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

static const char init_usage[] =
    "usage: yingji init [--data DIR] [--audit-alg sha256|sm3]\n\n"
    "Creates the data directory and database, and the first authority account 'admin'.\n"
    "Its password is $YINGJI_ADMIN_PASSWORD; without it one is generated and printed once.\n";

int cli_init(int argc, char **argv)
{
    struct common_opts o = {0};
    int rc = parse(argc, argv, "init", init_usage, &o);
    if (rc >= 0)
        return rc;
    const char *alg = o.audit_alg ? o.audit_alg : AUDIT_ALG_SHA256;
    if (!audit_alg_supported(alg))
        return cli_fail("init", "audit hash algorithm %s is not available", alg);
    if (store_exists(o.data))
        return cli_fail("init", "%s already holds a database; nothing changed", o.data);
    char generated[21];
    bool gen;
    const char *pw = password_from("YINGJI_ADMIN_PASSWORD", generated, sizeof generated, &gen);
    struct yj_error err;
    yj_error_clear(&err);
    if (auth_password_policy(pw, "password", &err))
        return cli_fail("init", "YINGJI_ADMIN_PASSWORD %s", err.msg);
    struct store *st = NULL;
    struct store_tx *tx = NULL;
    enum yj_err e = store_open(o.data, STORE_CREATE | STORE_MIGRATE, &st, &err);
    if (!e && !(e = store_write_begin(st, &tx, &err))) {
        e = store_setting_set(tx, "audit_alg", alg, &err);
        if (!e)
            e = store_tx_commit(tx, &err);
        store_tx_end(tx);
    }
    if (!e)
        e = add_user(st, "admin", "authority", 0, "系统管理员", pw, &err);
    struct auth_ctx ac;
    if (!e && !(e = auth_ctx_init(&ac, st, yj_clock_default(), &err)))
        auth_ctx_release(&ac);
    store_close(st);
    if (e)
        return cli_fail("init", "%s", err.msg);
    printf("initialised %s (audit chain: %s)\n", o.data, alg);
    if (gen)
        printf("authority account: admin\npassword (shown once, change it after logging in): "
               "%s\n",
               pw);
    else
        printf("authority account: admin (password from YINGJI_ADMIN_PASSWORD)\n");
    return 0;
}

static const char migrate_usage[] = "usage: yingji migrate [--data DIR] [--status]\n\n"
                                    "Applies pending schema migrations, or with --status lists "
                                    "them all.\n";

int cli_migrate(int argc, char **argv)
{
    struct common_opts o = {0};
    int rc = parse(argc, argv, "migrate", migrate_usage, &o);
    if (rc >= 0)
        return rc;
    struct yj_error err;
    struct store *st = NULL;
    enum yj_err e;
    if (o.status) {
        /* Listing must not change anything: open without migrating, but a schema behind
         * the binary is exactly what --status is for, so retry read-only on that error. */
        e = store_open(o.data, 0, &st, &err);
        if (e == YJ_EINVAL)
            e = store_open(o.data, STORE_READONLY | STORE_MIGRATE, &st, &err);
        if (e)
            return cli_fail("migrate", "%s", err.msg);
        struct store_migration_info info[64];
        size_t n = 0;
        e = store_migrations(st, info, YJ_ARRAY_LEN(info), &n, &err);
        for (size_t i = 0; !e && i < n; i++) {
            char at[YJ_TIME_STRLEN] = "pending";
            if (info[i].applied_at)
                yj_time_format(info[i].applied_at, at);
            printf("%4d  %-24s  %s\n", info[i].version, at, info[i].name);
        }
        store_close(st);
        return e ? cli_fail("migrate", "%s", err.msg) : 0;
    }
    e = store_open(o.data, 0, &st, &err);
    if (e && e != YJ_EINVAL)
        return cli_fail("migrate", "%s", err.msg);
    store_close(st);
    st = NULL;
    if ((e = store_open(o.data, STORE_MIGRATE, &st, &err)) != YJ_OK)
        return cli_fail("migrate", "%s", err.msg);
    store_close(st);
    printf("schema up to date\n");
    return 0;
}

static const char user_usage[] =
    "usage: yingji user add --username NAME --role ROLE [--unit ID] [--display-name TEXT] [--data "
    "DIR]\n"
    "       yingji user list [--data DIR]\n"
    "       yingji user passwd --username NAME [--data DIR]\n\n"
    "Roles: authority, security_reviewer, expert, unit (needs --unit), auditor.\n"
    "The password is $YINGJI_PASSWORD; without it one is generated and printed once.\n"
    "passwd also unlocks the account and ends its sessions.\n";

static int user_list(struct store *st)
{
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct store_user_query q = {.limit = 200};
    struct store_user *items;
    size_t n;
    enum yj_err e = store_read_begin(st, &tx, &err);
    while (!e && !(e = store_user_list(tx, &q, &a, &items, &n, &err)) && n > 0) {
        for (size_t i = 0; i < n; i++)
            printf("%6lld  %-24s %-18s %s%s\n", (long long)items[i].id, items[i].username,
                   items[i].role, items[i].disabled ? "disabled " : "",
                   items[i].unit_id ? "(unit)" : "");
        q.after_id = items[n - 1].id;
        yj_arena_release(&a);
    }
    store_tx_end(tx);
    yj_arena_release(&a);
    return e ? cli_fail("user", "%s", err.msg) : 0;
}

static int user_passwd(struct store *st, const char *username)
{
    char generated[21];
    bool gen;
    const char *pw = password_from("YINGJI_PASSWORD", generated, sizeof generated, &gen);
    struct yj_error err;
    char hash[AUTH_HASH_MAX];
    enum yj_err e = auth_password_policy(pw, "password", &err);
    if (!e)
        e = auth_password_hash(pw, hash, &err);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct store_tx *tx = NULL;
    struct store_user u;
    int64_t now = yj_now_ms(yj_clock_default());
    if (!e && !(e = store_write_begin(st, &tx, &err)))
        e = store_user_get_by_name(tx, username, &a, &u, &err);
    if (!e) {
        u.password_hash = hash;
        u.failed_logins = 0;
        u.locked_until = 0;
        u.updated_at = now;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)u.id);
        struct audit_entry ae = {.actor = "system",
                                 .action = "user.password_reset",
                                 .object_type = "user",
                                 .object_id = id};
        e = store_user_update(tx, &u, &err);
        if (!e)
            e = store_session_delete_user(tx, u.id, NULL, &err);
        if (!e)
            e = audit_append(tx, &ae, now, &err);
        if (!e)
            e = store_tx_commit(tx, &err);
    }
    store_tx_end(tx);
    yj_arena_release(&a);
    if (e)
        return cli_fail("user", "%s", err.msg);
    if (gen)
        printf("new password for %s (shown once): %s\n", username, pw);
    else
        printf("password for %s set from YINGJI_PASSWORD\n", username);
    return 0;
}

int cli_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(user_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    struct common_opts o = {0};
    int rc = parse(argc - 1, argv + 1, "user", user_usage, &o);
    if (rc >= 0)
        return rc;
    struct yj_error err;
    struct store *st = NULL;
    if (store_open(o.data, 0, &st, &err))
        return cli_fail("user", "%s", err.msg);
    if (strcmp(sub, "list") == 0) {
        rc = user_list(st);
    } else if (strcmp(sub, "add") == 0 && o.username && o.role) {
        char generated[21];
        bool gen;
        const char *pw = password_from("YINGJI_PASSWORD", generated, sizeof generated, &gen);
        if (add_user(st, o.username, o.role, o.unit_id, o.display_name, pw, &err)) {
            rc = cli_fail("user", "%s%s%s", err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                          err.msg);
        } else {
            rc = 0;
            if (gen)
                printf("user %s (%s) created; password (shown once): %s\n", o.username, o.role, pw);
            else
                printf("user %s (%s) created\n", o.username, o.role);
        }
    } else if (strcmp(sub, "passwd") == 0 && o.username) {
        rc = user_passwd(st, o.username);
    } else {
        fputs(user_usage, stderr);
        rc = 2;
    }
    store_close(st);
    return rc;
}

static const char audit_usage[] =
    "usage: yingji audit verify [--data DIR]\n\n"
    "Checks every record of the audit chain. Exits 0 and prints the head hash (keep it\n"
    "somewhere else to detect a rewrite of the whole chain) when the chain is whole;\n"
    "exits 1 naming the first bad record when any record was altered, removed or reordered.\n";

int cli_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        bool help = argc >= 2 && strcmp(argv[1], "--help") == 0;
        fputs(audit_usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct common_opts o = {0};
    int rc = parse(argc - 1, argv + 1, "audit", audit_usage, &o);
    if (rc >= 0)
        return rc;
    struct yj_error err;
    struct store *st = NULL;
    if (store_open(o.data, STORE_READONLY, &st, &err))
        return cli_fail("audit", "%s", err.msg);
    struct audit_verify_result res;
    enum yj_err e = audit_verify(st, &res, &err);
    store_close(st);
    if (e)
        return cli_fail("audit", "%s", err.msg);
    if (res.bad_seq) {
        printf("audit chain BROKEN at record %lld: %s (%lld records before it are intact)\n",
               (long long)res.bad_seq, res.reason, (long long)res.records);
        return 1;
    }
    printf("audit chain intact: %lld records, head %s\n", (long long)res.records, res.head_hash);
    return 0;
}

static const char backup_usage[] =
    "usage: yingji backup --to FILE [--data DIR]\n\n"
    "Copies the database while the server runs: one consistent snapshot, fsynced, written\n"
    "to FILE.partial and renamed into place. Then the attachment files (DIR/blobs) are\n"
    "copied into blobs/ next to FILE, each checked against its SHA-256; files already there\n"
    "are kept, so repeated backups into one directory only copy what is new.\n\n"
    "Back up to BACKUP/yingji.db and BACKUP is a complete data directory: restore by\n"
    "stopping the server and serving with --data BACKUP (or copying both back).\n";

/* The directory holding file (".", when it has no slash), into out. */
static void parent_dir(const char *file, char *out, size_t size)
{
    const char *slash = strrchr(file, '/');
    if (!slash)
        snprintf(out, size, ".");
    else if (slash == file)
        snprintf(out, size, "/");
    else
        snprintf(out, size, "%.*s", (int)(slash - file), file);
}

int cli_backup(int argc, char **argv)
{
    struct common_opts o = {0};
    int rc = parse(argc, argv, "backup", backup_usage, &o);
    if (rc >= 0)
        return rc;
    if (!o.to)
        return cli_fail("backup", "--to FILE is required");
    struct yj_error err;
    struct store *st = NULL;
    if (store_open(o.data, 0, &st, &err))
        return cli_fail("backup", "%s", err.msg);
    enum yj_err e = store_backup(st, o.to, &err);
    store_close(st);
    if (e)
        return cli_fail("backup", "%s", err.msg);
    /* After the snapshot: blobs are written before the rows naming them and
     * never removed, so every blob the snapshot names is there to copy. */
    char to_dir[PATH_MAX];
    parent_dir(o.to, to_dir, sizeof to_dir);
    struct attach_copy_stats cs;
    if (attach_blobs_copy(o.data, to_dir, &cs, &err))
        return cli_fail("backup", "database saved to %s, but attachments not: %s", o.to, err.msg);
    printf("backed up %s to %s; attachments: %zu copied (%llu bytes), %zu already there\n", o.data,
           o.to, cs.copied, (unsigned long long)cs.bytes, cs.present);
    if (cs.damaged) {
        fprintf(stderr,
                "yingji backup: %zu attachment file(s) in %s/blobs are damaged (their content "
                "no longer matches their SHA-256) and were not copied; see the log\n",
                cs.damaged, o.data);
        return 1;
    }
    return 0;
}
