/*
 * feed.h - scheduled indicator feeds: a source (an absolute file:// path or an
 * http(s) URL) read on a schedule in one of the formats the importers read, with
 * defaults for what it imports. The rules a feed's settings follow, when it runs
 * next, and how its source is written where others may read it (logs, the audit
 * chain).
 *
 * Pure rules: no SQL, HTTP or JSON here. Strings a function returns live in the
 * caller's arena.
 */
#ifndef YJ_INTEL_FEED_H
#define YJ_INTEL_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "intel/intel.h"

enum {
    FEED_NAME_MAX = 200,        /* bytes of a name; it is the indicators' source too */
    FEED_SOURCE_MAX = 2048,     /* bytes of a source */
    FEED_COLUMNS_MAX = 1000,    /* bytes of a CSV column mapping */
    FEED_INTERVAL_MIN = 5,      /* minutes: a feed is not polled more often */
    FEED_INTERVAL_MAX = 43200,  /* minutes: 30 days */
    FEED_INTERVAL_DEFAULT = 60, /* minutes */
    FEED_VALID_DAYS_MAX = 3650,
    FEED_UUID_LEN = 36,
};

/* What a feed's source holds: the importers' formats, and a MISP feed (a manifest.json
 * naming one <uuid>.json per event, in a directory or under a URL). */
enum feed_format { FEED_STIX, FEED_MISP, FEED_MISP_FEED, FEED_CSV, FEED_PLAIN, FEED_FORMAT__COUNT };

/* "stix", "misp", "misp_feed", "csv", "plain". */
const char *feed_format_code(enum feed_format f);
/* YJ_EINVAL naming field for any other code. */
enum yj_err feed_format_parse(const char *code, const char *field, enum feed_format *f,
                              struct yj_error *err);
/* The importer's format for what one file of the feed holds: a MISP feed's are "misp". */
const char *feed_format_import_code(enum feed_format f);

enum feed_scheme {
    FEED_FILE, /* file:///absolute/path */
    FEED_HTTP, /* http:// or https:// */
};

/*
 * Checks a source and says what it is. file:// sources are absolute paths
 * ("file:///srv/feeds/list.txt"; %XX escapes decoded into *path, arena text; no "."
 * or ".." segments, no control characters). http(s) sources (scheme in any case) need
 * a host ("[v6]" or letters, digits, '.', '-', '_'), an optional port 1..65535 and an
 * optional user:password@; no spaces, control characters or non-ASCII bytes (they
 * must be percent-encoded). *path is NULL for them; path may be NULL. YJ_EINVAL naming
 * field with what is wrong; YJ_ENOMEM.
 */
enum yj_err feed_source_parse(const char *source, const char *field, struct yj_arena *a,
                              enum feed_scheme *scheme, const char **path, struct yj_error *err);

/*
 * source as it may be shown to readers, logged or audited: the user:password@ of a URL
 * and its query (where feeds carry keys) each replaced by three asterisks, the host
 * and path kept.
 * file:// sources and URLs without either are returned as they are. Arena text (NULL
 * when a is exhausted).
 */
const char *feed_source_redact(const char *source, struct yj_arena *a);

/*
 * The URL of file (a manifest.json or "<uuid>.json") of the MISP feed at base: base
 * is the feed's directory URL, with or without a trailing '/' or "/manifest.json";
 * a query of base is kept after the file. Arena text (NULL when a is exhausted).
 */
const char *feed_misp_url(const char *base, const char *file, struct yj_arena *a);

/* The directory of a MISP feed at path: path itself, or its directory when it names the
 * manifest.json. Arena text. */
const char *feed_misp_dir(const char *path, struct yj_arena *a);

/* true when s is a UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex, any case): the only
 * names a MISP manifest may give event files, so that none can leave the feed. */
bool feed_uuid_valid(const char *s);

/*
 * columns (may be NULL) for a feed of format f: only csv takes it; it names the
 * columns of a file without a header row as a header row would (intel_csv.h), at most
 * FEED_COLUMNS_MAX bytes. YJ_EINVAL naming field.
 */
enum yj_err feed_columns_check(enum feed_format f, const char *columns, const char *field,
                               struct yj_error *err);

/* What a feed's indicators start from when the file does not say. */
struct feed_defaults {
    bool has_category;
    enum intel_category category;
    bool has_tlp;
    enum intel_tlp tlp;
    int confidence; /* 0..100; -1: the importer's */
    int valid_days; /* 1..FEED_VALID_DAYS_MAX: valid until that many days after the run; 0: none */
};

/* No defaults: the importer's own. */
void feed_defaults_init(struct feed_defaults *d);

/*
 * Checks confidence and valid_days of d (the codes were parsed already). YJ_EINVAL
 * naming "defaults.confidence" or "defaults.valid_days".
 */
enum yj_err feed_defaults_check(const struct feed_defaults *d, struct yj_error *err);

/* The indicator an import of the feed at now starts each value from (intel_template_init
 * with d applied: a valid_until now + valid_days). */
void feed_template(const struct feed_defaults *d, int64_t now, struct intel_indicator *out);

/* YJ_EINVAL naming field unless FEED_INTERVAL_MIN <= minutes <= FEED_INTERVAL_MAX. */
enum yj_err feed_interval_check(int64_t minutes, const char *field, struct yj_error *err);

/*
 * When a feed runs next after a run at now, its schedule being prev_next (0: none yet)
 * every interval_minutes: prev_next while it is still ahead (a run by hand does not
 * move the schedule); else the first prev_next + k intervals after now (runs missed
 * while the server was down are not made up one by one); now + one interval without
 * a schedule.
 */
int64_t feed_next_run(int64_t prev_next, int64_t interval_minutes, int64_t now);

#endif
