/*
 * migrations_5.c - migration 5: the units' threat reports (威胁监测处置专项报告)
 * with their five-tuples, indicators, evidence files and reviews, and early-warning
 * reports (预警通报) with affected products, vulnerability ids and reviews; a
 * published warning is a bulletin. Append-only like migrations.c; listed there.
 *
 * A report's indicators are kept here, in canonical form with the role they play,
 * until the indicator store takes them in (linked back by report id).
 */
#include "store/store_int.h"

const char *const store_m5_threats[] = {
    "CREATE TABLE threat_reports ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    /* NULL: filed by the authority itself. */
    " unit_id INTEGER REFERENCES units (id),"
    " category TEXT NOT NULL CHECK (category IN ('malicious_ip', 'malicious_domain',"
    "  'malicious_url', 'malicious_message', 'malware', 'botnet', 'phishing', 'hazard', 'event',"
    "  'other')),"
    " title TEXT NOT NULL,"
    " summary TEXT,"
    " propagation_path TEXT,"
    " affected TEXT," /* affected hosts and organisations */
    /* The disposal suggestion (STANDARDS.md §4): a measure, for block_resource what it
     * blocks (a bit set of intel/threats.h's enum threat_block), and words. */
    " measure TEXT NOT NULL CHECK (measure IN ('stop_service', 'block_resource',"
    "  'remove_malware', 'order_fix', 'other')),"
    " measure_blocks INTEGER NOT NULL DEFAULT 0 CHECK (measure_blocks BETWEEN 0 AND 31),"
    " measure_text TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted',"
    "  'rejected_duplicate', 'rejected_unfounded')),"
    " submitted_at INTEGER,"
    " review_comment TEXT,"
    " reviewed_by INTEGER REFERENCES users (id),"
    " reviewed_at INTEGER,"
    " incident_id INTEGER REFERENCES incidents (id),"
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX threat_reports_unit ON threat_reports (unit_id, id);",
    "CREATE INDEX threat_reports_status ON threat_reports (status, id);",
    /* The evaluation counts accepted reports per unit by the time of acceptance. */
    "CREATE INDEX threat_reports_accepted ON threat_reports (reviewed_at, unit_id)"
    " WHERE status = 'accepted';",
    /* An accepted report becomes at most one incident. */
    "CREATE UNIQUE INDEX threat_reports_incident ON threat_reports (incident_id)"
    " WHERE incident_id IS NOT NULL;",
    "CREATE TABLE threat_five_tuples ("
    " report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " position INTEGER NOT NULL,"
    " src_ip TEXT NOT NULL,"
    " src_port INTEGER CHECK (src_port BETWEEN 1 AND 65535),"
    " dst_ip TEXT NOT NULL,"
    " dst_port INTEGER CHECK (dst_port BETWEEN 1 AND 65535),"
    " protocol TEXT NOT NULL CHECK (protocol IN ('tcp', 'udp', 'icmp', 'other')),"
    " first_seen INTEGER,"
    " last_seen INTEGER,"
    " count INTEGER NOT NULL CHECK (count >= 1),"
    " PRIMARY KEY (report_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE threat_indicators ("
    " report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " position INTEGER NOT NULL,"
    " type TEXT NOT NULL CHECK (type IN ('ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url',"
    "  'email', 'md5', 'sha1', 'sha256', 'sm3', 'cc', 'app')),"
    " value TEXT NOT NULL," /* canonical (intel_canonical) */
    " role TEXT NOT NULL CHECK (role IN ('c2', 'victim', 'malicious', 'sample', 'app')),"
    " note TEXT,"
    " PRIMARY KEY (report_id, position)"
    ") STRICT, WITHOUT ROWID;",
    /* Which reports name a value: duplicates at review, feeding the indicator store. */
    "CREATE INDEX threat_indicators_value ON threat_indicators (type, value);",
    /* Evidence files: the bytes in the blob store by SHA-256, like attachments. */
    "CREATE TABLE threat_report_files ("
    " report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " seq INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " filename TEXT NOT NULL,"
    " media_type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " note TEXT,"
    " added_by INTEGER NOT NULL,"
    " added_at INTEGER NOT NULL,"
    " PRIMARY KEY (report_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    /* Every decision, so that a report returned twice shows both comments. */
    "CREATE TABLE threat_report_reviews ("
    " report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " seq INTEGER NOT NULL,"
    " decision TEXT NOT NULL CHECK (decision IN ('accept', 'return', 'reject_duplicate',"
    "  'reject_unfounded')),"
    " comment TEXT,"
    " version INTEGER NOT NULL," /* the version reviewed */
    " reviewed_by INTEGER NOT NULL,"
    " reviewed_at INTEGER NOT NULL,"
    " PRIMARY KEY (report_id, seq)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE early_warnings ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " unit_id INTEGER REFERENCES units (id)," /* NULL: the authority's own */
    " title TEXT NOT NULL,"
    " event_at INTEGER,"
    " description TEXT,"
    " cause TEXT,"
    " impact TEXT,"
    " countermeasures TEXT,"
    " analysis TEXT," /* of the malware, vulnerabilities and tools involved */
    " colour TEXT CHECK (colour IN ('red', 'orange', 'yellow', 'blue')),"
    " status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'published',"
    "  'rejected')),"
    " submitted_at INTEGER,"
    " review_comment TEXT,"
    " reviewed_by INTEGER REFERENCES users (id),"
    " reviewed_at INTEGER,"
    " published_at INTEGER,"
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " CHECK ((status = 'published') = (published_at IS NOT NULL))"
    ") STRICT;",
    "CREATE INDEX early_warnings_unit ON early_warnings (unit_id, id);",
    "CREATE INDEX early_warnings_status ON early_warnings (status, id);",
    "CREATE TABLE early_warning_products ("
    " warning_id INTEGER NOT NULL REFERENCES early_warnings (id),"
    " position INTEGER NOT NULL,"
    " vendor TEXT,"
    " product TEXT NOT NULL,"
    " versions TEXT,"
    " PRIMARY KEY (warning_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE early_warning_refs ("
    " warning_id INTEGER NOT NULL REFERENCES early_warnings (id),"
    " position INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('cve', 'cnvd', 'cnnvd')),"
    " ref TEXT NOT NULL," /* canonical, upper case */
    " PRIMARY KEY (warning_id, position),"
    " UNIQUE (warning_id, ref)"
    ") STRICT, WITHOUT ROWID;",
    /* Bulletins by vulnerability: ?ref=CVE-2021-44228. */
    "CREATE INDEX early_warning_refs_ref ON early_warning_refs (ref);",
    "CREATE TABLE early_warning_reviews ("
    " warning_id INTEGER NOT NULL REFERENCES early_warnings (id),"
    " seq INTEGER NOT NULL,"
    " decision TEXT NOT NULL CHECK (decision IN ('publish', 'return', 'reject')),"
    " comment TEXT,"
    " version INTEGER NOT NULL,"
    " reviewed_by INTEGER NOT NULL,"
    " reviewed_at INTEGER NOT NULL,"
    " PRIMARY KEY (warning_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    NULL,
};
