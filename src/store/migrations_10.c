/*
 * migrations_10.c - migration 10: the indicator tables of migration 6 rebuilt with
 * the same columns, keys and meaning, for the speed of a bulk import. SQLite
 * evaluates a CHECK (x IN (...)) of more than two values by building a temporary
 * b-tree of the list for every row written: the type and TLP checks of indicators
 * cost more than the row itself (an import of 200,000 spent a third of its time
 * there). The same checks as chains of '=' cost nothing. SQLite cannot change a
 * constraint in place, so the four tables are copied aside, dropped (children
 * first: no foreign key is ever broken), created anew and filled back, ids kept.
 * Append-only; listed in migrations.c.
 */
#include "store/store_int.h"

#define IND_COLUMNS                                                                                \
    "id, version, type, value, subdomains, category, confidence, tlp, first_seen, last_seen,"      \
    " valid_until, sightings, description, flagged_by_warninglist, created_at, updated_at"

const char *const store_m10_indicator_checks[] = {
    "CREATE TEMP TABLE m10_indicators AS SELECT " IND_COLUMNS " FROM indicators;",
    "CREATE TEMP TABLE m10_sources AS SELECT indicator_id, source, first_imported,"
    " last_imported, count FROM indicator_sources;",
    "CREATE TEMP TABLE m10_tags AS SELECT indicator_id, tag FROM indicator_tags;",
    "CREATE TEMP TABLE m10_reports AS SELECT indicator_id, threat_report_id"
    " FROM indicator_reports;",
    "DROP TABLE indicator_reports;",
    "DROP TABLE indicator_tags;",
    "DROP TABLE indicator_sources;",
    "DROP TABLE indicators;",
    "CREATE TABLE indicators ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " type TEXT NOT NULL CHECK (type = 'ipv4' OR type = 'ipv6' OR type = 'cidr4'"
    "  OR type = 'cidr6' OR type = 'domain' OR type = 'url' OR type = 'email' OR type = 'md5'"
    "  OR type = 'sha1' OR type = 'sha256' OR type = 'sm3' OR type = 'cc' OR type = 'app'),"
    " value TEXT NOT NULL," /* canonical (intel_canonical) */
    " subdomains INTEGER NOT NULL DEFAULT 0 CHECK (subdomains IN (0, 1)),"
    " category TEXT NOT NULL,"
    " confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"
    " tlp TEXT NOT NULL CHECK (tlp = 'clear' OR tlp = 'green' OR tlp = 'amber'"
    "  OR tlp = 'amber+strict' OR tlp = 'red'),"
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
    "INSERT INTO indicators (" IND_COLUMNS ") SELECT " IND_COLUMNS
    " FROM temp.m10_indicators ORDER BY id;",
    "INSERT INTO indicator_sources (indicator_id, source, first_imported, last_imported, count)"
    " SELECT indicator_id, source, first_imported, last_imported, count FROM temp.m10_sources"
    " ORDER BY indicator_id, source;",
    "INSERT INTO indicator_tags (indicator_id, tag) SELECT indicator_id, tag FROM temp.m10_tags"
    " ORDER BY indicator_id, tag;",
    "INSERT INTO indicator_reports (indicator_id, threat_report_id)"
    " SELECT indicator_id, threat_report_id FROM temp.m10_reports"
    " ORDER BY indicator_id, threat_report_id;",
    "DROP TABLE temp.m10_indicators;",
    "DROP TABLE temp.m10_sources;",
    "DROP TABLE temp.m10_tags;",
    "DROP TABLE temp.m10_reports;",
    NULL,
};
