/*
 * intel.c - `yingji intel import|export|lookup`: the indicator store from the
 * command line, through the same import, export and lookup as the API
 * (api_indicators.h), audited as the system.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_indicators.h"
#include "cli/cli.h"
#include "core/yj.h"
#include "intel/intel_misp.h"

static const char usage[] =
    "usage: yingji intel import --format stix|misp|csv|plain [--source NAME] [--columns COLS]\n"
    "                           [--data DIR] FILE\n"
    "       yingji intel import --format misp-feed [--source NAME] [--data DIR] FEED_DIR\n"
    "       yingji intel export --format stix|misp|csv [--report-id ID] [--type T] [--all]\n"
    "                           [--out FILE] [--data DIR]\n"
    "       yingji intel lookup [--data DIR] VALUE\n"
    "       yingji intel feed list|run [--data DIR] [ID]  (see yingji intel feed --help)\n\n"
    "import  reads FILE into the indicator store in one transaction (duplicates merge,\n"
    "        enabled warning lists flag what they cover) and prints the counts and problems;\n"
    "        a malformed file is refused with the position of the error, nothing imported.\n"
    "        --columns maps a CSV without a header row (e.g. value,type,category).\n"
    "export  writes the live indicators (--all: every one) to FILE or standard output.\n"
    "lookup  prints every live indicator matching VALUE (CIDR ranges, parent domains).\n";

struct opts {
    const char *data, *format, *source, *columns, *out, *type, *arg;
    int64_t report_id;
    bool all;
};

static int parse(int argc, char **argv, const char *cmd, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--data")      ? &o->data
                            : !strcmp(a, "--format")  ? &o->format
                            : !strcmp(a, "--source")  ? &o->source
                            : !strcmp(a, "--columns") ? &o->columns
                            : !strcmp(a, "--out")     ? &o->out
                            : !strcmp(a, "--type")    ? &o->type
                                                      : NULL;
        if (!strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--all")) {
            o->all = true;
        } else if (!strcmp(a, "--report-id")) {
            if (i + 1 >= argc || yj_parse_i64(argv[++i], 1, INT64_MAX, &o->report_id))
                return cli_fail(cmd, "--report-id needs a threat report id");
        } else if (slot) {
            if (i + 1 >= argc)
                return cli_fail(cmd, "%s needs a value", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return cli_fail(cmd, "unknown option %s (see --help)", a);
        } else if (!o->arg) {
            o->arg = a;
        } else {
            return cli_fail(cmd, "one argument only");
        }
    }
    o->data = cli_data_dir(o->data);
    return -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap && n < API_INDICATOR_IMPORT_MAX * 4u) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void print_import(const struct store_import *imp, json_t *problems)
{
    printf("import %lld: %lld objects, %zu imported, %zu merged, %zu flagged, %zu problems\n",
           (long long)imp->id, (long long)imp->objects, imp->counts.imported, imp->counts.merged,
           imp->counts.flagged, json_array_size(problems));
    size_t i;
    json_t *p;
    json_array_foreach (problems, i, p) {
        printf("  %s: %s\n", json_string_value(json_object_get(p, "where")),
               json_string_value(json_object_get(p, "reason")));
    }
}

static int do_import(struct store *st, const struct opts *o, struct yj_arena *a)
{
    struct yj_error err;
    if (!o->arg)
        return cli_fail("intel", "import: FILE is required");
    if (!o->format)
        return cli_fail("intel", "import: --format is required");
    struct api_import_req r = {
        .format = o->format, .source = o->source ? o->source : o->arg, .columns = o->columns};
    struct audit_entry audit = {
        .actor = "system", .action = "indicator.import", .object_type = "indicator_import"};
    struct store_import imp;
    json_t *problems = NULL;
    enum yj_err rc;
    int64_t now = yj_now_ms(yj_clock_default());
    if (!strcmp(o->format, "misp-feed")) {
        /* A feed is a directory: its events are one batch, as one file would be. */
        r.format = "misp";
        struct intel_batch b;
        intel_batch_init(&b);
        if (intel_misp_feed_import(o->arg, NULL, a, &b, &err))
            return cli_fail("intel", "%s: %s", err.field, err.msg);
        struct yj_buf buf;
        yj_buf_init(&buf, (size_t)API_INDICATOR_EXPORT_MAX);
        rc = intel_misp_export(b.items, b.n, o->arg, now, &buf, &err);
        if (!rc)
            rc = api_indicators_run_import(st, &r, buf.ptr, buf.len, now, &audit, a, &imp,
                                           &problems, &err);
        yj_buf_release(&buf);
    } else {
        size_t len = 0;
        char *text = slurp(o->arg, &len);
        if (!text)
            return cli_fail("intel", "cannot read %s", o->arg);
        rc = api_indicators_run_import(st, &r, text, len, now, &audit, a, &imp, &problems, &err);
        free(text);
    }
    if (rc)
        return cli_fail("intel", "%s%s%s", err.field, *err.field ? ": " : "", err.msg);
    print_import(&imp, problems);
    json_decref(problems);
    return 0;
}

static int do_export(struct store *st, const struct opts *o, struct yj_arena *a)
{
    struct yj_error err;
    int64_t now = yj_now_ms(yj_clock_default());
    struct store_indicator_query q = {
        .type = o->type, .live_only = !o->all, .now = now, .report_id = o->report_id};
    struct yj_buf buf;
    yj_buf_init(&buf, (size_t)API_INDICATOR_EXPORT_MAX);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(st, &tx, &err);
    if (!rc)
        rc = api_indicators_run_export(tx, o->format ? o->format : "", &q, now, a, &buf, &err);
    store_tx_end(tx);
    if (rc) {
        yj_buf_release(&buf);
        return cli_fail("intel", "%s%s%s", err.field, *err.field ? ": " : "", err.msg);
    }
    FILE *f = o->out ? fopen(o->out, "wb") : stdout;
    bool ok = f && fwrite(buf.ptr, 1, buf.len, f) == buf.len;
    if (f && f != stdout)
        ok = fclose(f) == 0 && ok;
    yj_buf_release(&buf);
    return ok ? 0 : cli_fail("intel", "cannot write %s", o->out ? o->out : "standard output");
}

static int do_lookup(struct store *st, const struct opts *o, struct yj_arena *a)
{
    struct yj_error err;
    enum intel_type t;
    const char *value;
    if (!o->arg)
        return cli_fail("intel", "lookup: VALUE is required");
    if (intel_guess(o->arg, "value", a, &t, &value, &err))
        return cli_fail("intel", "%s", err.msg);
    struct intel_lookup *l = NULL;
    if (api_indicators_lookup_get(st, &l, &err))
        return cli_fail("intel", "%s", err.msg);
    struct intel_lookup_hit hits[API_INDICATOR_LOOKUP_HITS];
    int64_t now = yj_now_ms(yj_clock_default());
    size_t total = intel_lookup_find(l, t, value, now, hits, API_INDICATOR_LOOKUP_HITS);
    size_t n = total < API_INDICATOR_LOOKUP_HITS ? total : API_INDICATOR_LOOKUP_HITS;
    static const char *const how[] = {"exact", "range", "parent"};
    for (size_t i = 0; i < n; i++) {
        char v[INTEL_VALUE_MAX + 1];
        intel_lookup_hit_value(l, &hits[i], v, sizeof v);
        printf("%lld\t%s\t%s\t%s%s\n", (long long)hits[i].id, intel_type_code(hits[i].type), v,
               how[hits[i].match], hits[i].via_host ? " (host)" : "");
    }
    intel_lookup_free(l);
    printf("%zu match%s for %s %s\n", total, total == 1 ? "" : "es", intel_type_code(t), value);
    return 0;
}

int cli_intel(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "feed"))
        return cli_intel_feed(argc - 1, argv + 1);
    if (strcmp(sub, "import") && strcmp(sub, "export") && strcmp(sub, "lookup"))
        return cli_fail("intel", "unknown subcommand %s (see --help)", sub);
    struct opts o = {0};
    int rc = parse(argc - 1, argv + 1, "intel", &o);
    if (rc >= 0)
        return rc;
    struct yj_error err;
    struct store *st = NULL;
    if (store_open(o.data, strcmp(sub, "import") ? STORE_READONLY : 0, &st, &err))
        return cli_fail("intel", "%s", err.msg);
    struct yj_arena arena;
    yj_arena_init(&arena, 0);
    struct yj_arena *a = &arena;
    if (!strcmp(sub, "import"))
        rc = do_import(st, &o, a);
    else if (!strcmp(sub, "export"))
        rc = do_export(st, &o, a);
    else
        rc = do_lookup(st, &o, a);
    yj_arena_release(a);
    store_close(st);
    return rc;
}
