/*
 * migrations.c - the schema, one versioned step at a time. Steps are append-only:
 * a released step is never edited, a change is a new step. Times are INTEGER
 * milliseconds since the epoch (UTC); hashes are lower-case hex TEXT.
 */
#include "store/store_int.h"

static const char *const m1_foundation[] = {
    "CREATE TABLE settings ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL"
    ") STRICT;",
    /* Reference data, seeded here and editable later (STANDARDS.md: codes as rows). */
    "CREATE TABLE capability_fields ("
    " code TEXT PRIMARY KEY,"
    " name_zh TEXT NOT NULL UNIQUE,"
    " name_en TEXT NOT NULL,"
    " position INTEGER NOT NULL"
    ") STRICT;",
    "INSERT INTO capability_fields (code, name_zh, name_en, position) VALUES"
    " ('monitoring_analysis', '监测分析', 'Monitoring and analysis', 1),"
    " ('early_warning', '预警通报', 'Early warning', 2),"
    " ('malware_collection', '病毒收集', 'Malware collection', 3),"
    " ('security_assessment', '安全评估', 'Security assessment', 4),"
    " ('security_operations', '安全运维', 'Security operations', 5),"
    " ('vulnerability_discovery', '漏洞挖掘', 'Vulnerability discovery', 6),"
    " ('penetration_testing', '渗透测试', 'Penetration testing', 7),"
    " ('emergency_handling', '应急处置', 'Emergency handling', 8),"
    " ('forensics_tracing', '取证溯源', 'Forensics and tracing', 9),"
    " ('data_security', '数据安全', 'Data security', 10),"
    " ('mobile_internet', '移动互联网', 'Mobile internet', 11);",
    "CREATE TABLE units ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " credit_code TEXT NOT NULL,"
    " registered_capital INTEGER,"
    " legal_representative TEXT,"
    " founded_on TEXT,"
    " business_term TEXT,"
    " business_scope TEXT,"
    " registration_authority TEXT,"
    " province TEXT,"
    " city TEXT,"
    " address TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " deleted_at INTEGER,"
    /* Kept by store_units.c on every write, so that a list page is one range scan. */
    " staff_count INTEGER NOT NULL DEFAULT 0,"
    " capability_codes TEXT NOT NULL DEFAULT ''"
    ") STRICT;",
    /* A deleted unit keeps its row (history); only live units must have distinct codes. */
    "CREATE UNIQUE INDEX units_credit_code_live ON units (credit_code) WHERE deleted_at IS NULL;",
    "CREATE INDEX units_name ON units (name);",
    /* A page of the registry walks this narrow index, not the wide rows. */
    "CREATE INDEX units_live_page ON units (id, version) WHERE deleted_at IS NULL;",
    /* Children are clustered on their unit (WITHOUT ROWID, keyed by unit and
     * position): a unit's rows sit together, and a write touches one b-tree per
     * table rather than a table and an index. */
    "CREATE TABLE unit_contacts ("
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " role TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " dept_title TEXT,"
    " mobile TEXT,"
    " office_phone TEXT,"
    " email TEXT,"
    " PRIMARY KEY (unit_id, role)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE unit_offices ("
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " position INTEGER NOT NULL,"
    " name TEXT,"
    " is_headquarters INTEGER NOT NULL,"
    " province TEXT,"
    " city TEXT,"
    " address TEXT,"
    " floor_area_m2 INTEGER,"
    " tenure TEXT,"
    " staff_count INTEGER,"
    " security_lead TEXT,"
    " phone TEXT,"
    " PRIMARY KEY (unit_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE unit_staff ("
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " position INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " department TEXT,"
    " education TEXT,"
    " title TEXT,"
    " school TEXT,"
    " major TEXT,"
    " years_in_field INTEGER,"
    " post TEXT,"
    " in_province INTEGER NOT NULL,"
    " PRIMARY KEY (unit_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE unit_staff_certificates ("
    " unit_id INTEGER NOT NULL,"
    " staff_position INTEGER NOT NULL,"
    " position INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " PRIMARY KEY (unit_id, staff_position, position),"
    " FOREIGN KEY (unit_id, staff_position) REFERENCES unit_staff (unit_id, position)"
    "  ON DELETE CASCADE"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE unit_capabilities ("
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " field TEXT NOT NULL REFERENCES capability_fields (code),"
    " description TEXT,"
    " PRIMARY KEY (unit_id, field)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE unit_oncall ("
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " position INTEGER NOT NULL,"
    " person TEXT NOT NULL,"
    " mobile TEXT,"
    " starts_at INTEGER NOT NULL,"
    " ends_at INTEGER NOT NULL,"
    " PRIMARY KEY (unit_id, position),"
    " CHECK (starts_at < ends_at)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL UNIQUE,"
    " display_name TEXT,"
    " role TEXT NOT NULL CHECK (role IN ('authority', 'security_reviewer', 'expert', 'unit',"
    "  'auditor')),"
    " unit_id INTEGER REFERENCES units (id),"
    " password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " failed_logins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " CHECK ((role = 'unit') = (unit_id IS NOT NULL))"
    ") STRICT;",
    "CREATE TABLE sessions ("
    " id_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX sessions_user ON sessions (user_id);",
    "CREATE TABLE api_tokens ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " name TEXT NOT NULL,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " prefix TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_used_at INTEGER,"
    " expires_at INTEGER,"
    " revoked_at INTEGER"
    ") STRICT;",
    "CREATE INDEX api_tokens_user ON api_tokens (user_id);",
    /* The audit chain. seq is dense from 1; hash covers the record and prev_hash. */
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_id INTEGER,"
    " actor TEXT NOT NULL,"
    " source_ip TEXT,"
    " action TEXT NOT NULL,"
    " object_type TEXT NOT NULL,"
    " object_id TEXT,"
    " changes TEXT NOT NULL,"
    " alg TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL"
    ") STRICT;",
    "CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);",
    "CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);",
    "CREATE INDEX audit_log_at ON audit_log (at);",
    /* The head is kept apart from the records, so that cutting records off the end
     * of the chain does not go unnoticed. */
    "CREATE TABLE audit_head ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " seq INTEGER NOT NULL,"
    " hash TEXT NOT NULL"
    ") STRICT;",
    NULL,
};

const struct store_migration store_migration_list[] = {
    {1, "foundation: settings, units, users, sessions, tokens, audit chain", m1_foundation},
};
const size_t store_migration_count = YJ_ARRAY_LEN(store_migration_list);
