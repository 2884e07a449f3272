/*
 * migrations_6.c - migration 6: the indicator store (issue 5): indicators in
 * canonical form, one row per (type, value) so that duplicates merge, with the
 * sources that named them, their tags and the threat reports they came from; the
 * MISP warning lists that flag false positives; and a record of every import.
 * Append-only like migrations.c; listed there.
 */
#include "store/store_int.h"

const char *const store_m6_indicators[] = {
    "CREATE TABLE indicators ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " type TEXT NOT NULL CHECK (type IN ('ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url',"
    "  'email', 'md5', 'sha1', 'sha256', 'sm3', 'cc', 'app')),"
    " value TEXT NOT NULL," /* canonical (intel_canonical) */
    " subdomains INTEGER NOT NULL DEFAULT 0 CHECK (subdomains IN (0, 1)),"
    " category TEXT NOT NULL,"
    " confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"
    " tlp TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),"
    " first_seen INTEGER,"
    " last_seen INTEGER,"
    " valid_until INTEGER," /* NULL: never expires */
    " sightings INTEGER NOT NULL CHECK (sightings >= 1),"
    " description TEXT,"
    /* The warning list that covered it when imported: not served as malicious. */
    " flagged_by_warninglist TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (type, value)"
    ") STRICT;",
    "CREATE INDEX indicators_category ON indicators (category, id);",
    "CREATE TABLE indicator_sources ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators (id),"
    " source TEXT NOT NULL,"
    " first_imported INTEGER NOT NULL,"
    " last_imported INTEGER NOT NULL,"
    " count INTEGER NOT NULL CHECK (count >= 1),"
    " PRIMARY KEY (indicator_id, source)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE indicator_tags ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators (id),"
    " tag TEXT NOT NULL,"
    " PRIMARY KEY (indicator_id, tag)"
    ") STRICT, WITHOUT ROWID;",
    /* ?tag= lists walk this. */
    "CREATE INDEX indicator_tags_tag ON indicator_tags (tag, indicator_id);",
    "CREATE TABLE indicator_reports ("
    " indicator_id INTEGER NOT NULL REFERENCES indicators (id),"
    " threat_report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " PRIMARY KEY (indicator_id, threat_report_id)"
    ") STRICT, WITHOUT ROWID;",
    /* A report's export walks this. */
    "CREATE INDEX indicator_reports_report ON indicator_reports (threat_report_id, indicator_id);",
    /* The list's JSON is kept whole: it is what the matcher loads (warninglist.h). */
    "CREATE TABLE warninglists ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL CHECK (type IN ('cidr', 'hostname', 'string', 'substring', 'regex')),"
    " description TEXT,"
    " list_version INTEGER NOT NULL DEFAULT 0,"
    " entries INTEGER NOT NULL,"
    " json TEXT NOT NULL,"
    " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE TABLE imports ("
    " id INTEGER PRIMARY KEY,"
    " format TEXT NOT NULL CHECK (format IN ('stix', 'misp', 'csv', 'plain', 'report')),"
    " source TEXT NOT NULL,"
    " started_at INTEGER NOT NULL,"
    " finished_at INTEGER NOT NULL,"
    " objects INTEGER NOT NULL,"
    " imported INTEGER NOT NULL,"
    " merged INTEGER NOT NULL,"
    " flagged INTEGER NOT NULL,"
    " problems TEXT NOT NULL," /* JSON array of {where, object, reason} */
    " created_by INTEGER"      /* NULL: the command line */
    ") STRICT;",
    NULL,
};
