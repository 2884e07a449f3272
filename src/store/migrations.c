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

/* Selection campaigns (遴选), applications and their review, certificates,
 * attachments, and the units' history that carry-over rules read. */
static const char *const m2_selection[] = {
    /* Grades from evaluations and bans (e.g. 3 years after revocation for misusing
     * the authority's name): what decides whether a unit may apply again. */
    "CREATE TABLE unit_grades ("
    " id INTEGER PRIMARY KEY,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " period TEXT NOT NULL,"
    " grade TEXT NOT NULL CHECK (grade IN ('excellent', 'qualified', 'unqualified')),"
    " graded_on TEXT NOT NULL,"
    " note TEXT,"
    " created_at INTEGER NOT NULL,"
    " created_by INTEGER"
    ") STRICT;",
    "CREATE INDEX unit_grades_unit ON unit_grades (unit_id, graded_on);",
    "CREATE TABLE unit_bans ("
    " id INTEGER PRIMARY KEY,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " cause TEXT NOT NULL,"
    " reason TEXT,"
    " starts_on TEXT NOT NULL,"
    " ends_on TEXT NOT NULL,"
    " certificate_id INTEGER,"
    " created_at INTEGER NOT NULL,"
    " created_by INTEGER"
    ") STRICT;",
    "CREATE INDEX unit_bans_unit ON unit_bans (unit_id, ends_on);",

    "CREATE TABLE campaigns ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " term_no INTEGER,"
    " province TEXT,"
    " city TEXT,"
    " title TEXT NOT NULL,"
    " opens_at INTEGER,"
    " deadline_at INTEGER NOT NULL,"
    " validity_years INTEGER NOT NULL,"
    " places INTEGER NOT NULL,"
    " cert_number_pattern TEXT NOT NULL,"
    " stage TEXT NOT NULL CHECK (stage IN ('draft', 'open', 'review', 'notice', 'published',"
    "  'closed')),"
    " min_registered_capital INTEGER NOT NULL,"
    " min_years_in_field INTEGER NOT NULL,"
    " min_certified_staff INTEGER NOT NULL,"
    " require_office_in_province INTEGER NOT NULL,"
    " min_capability_fields INTEGER NOT NULL,"
    " require_declarations INTEGER NOT NULL,"
    " notice_starts_at INTEGER,"
    " notice_ends_at INTEGER,"
    " published_at INTEGER,"
    " valid_from TEXT,"
    " valid_to TEXT,"
    " closed_at INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE TABLE campaign_authorities ("
    " campaign_id INTEGER NOT NULL REFERENCES campaigns (id),"
    " position INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " PRIMARY KEY (campaign_id, position)"
    ") STRICT, WITHOUT ROWID;",
    /* The scoring rubric: criteria with their maximum points. */
    "CREATE TABLE campaign_criteria ("
    " campaign_id INTEGER NOT NULL REFERENCES campaigns (id),"
    " position INTEGER NOT NULL,"
    " code TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " max_points INTEGER NOT NULL CHECK (max_points > 0),"
    " PRIMARY KEY (campaign_id, position)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE applications ("
    " id INTEGER PRIMARY KEY,"
    " campaign_id INTEGER NOT NULL REFERENCES campaigns (id),"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " version INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'withdrawn')),"
    " current_version INTEGER NOT NULL,"
    " submitted_version INTEGER,"
    " submitted_at INTEGER,"
    " eligibility TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (eligibility IN ('pending', 'eligible', 'ineligible')),"
    " eligibility_override TEXT CHECK (eligibility_override IN ('eligible', 'ineligible')),"
    " override_reason TEXT,"
    " override_by INTEGER,"
    " override_at INTEGER,"
    " direct_entry INTEGER NOT NULL DEFAULT 0,"
    " security_result TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (security_result IN ('pending', 'pass', 'fail')),"
    " security_notes TEXT,"
    " security_by INTEGER,"
    " security_at INTEGER,"
    " score_centi INTEGER,"
    " rank INTEGER,"
    " outcome TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (outcome IN ('pending', 'proposed', 'selected', 'not_selected', 'cancelled')),"
    " outcome_reason TEXT,"
    " paper_received_at INTEGER,"
    " paper_matches INTEGER,"
    " paper_note TEXT,"
    " paper_by INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (campaign_id, unit_id)"
    ") STRICT;",
    "CREATE INDEX applications_unit ON applications (unit_id);",
    /* Every version of an application's content: drafts are edited in place, a
     * submission freezes one (its SHA-256 goes on the paper copy's cover), a return
     * for correction opens the next. */
    "CREATE TABLE application_versions ("
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " version_no INTEGER NOT NULL,"
    " content TEXT NOT NULL,"
    " sha256 TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " submitted_at INTEGER,"
    " submitted_by INTEGER,"
    " returned_at INTEGER,"
    " return_reason TEXT,"
    " returned_by INTEGER,"
    " PRIMARY KEY (application_id, version_no)"
    ") STRICT, WITHOUT ROWID;",
    /* The pre-check's verdict, criterion by criterion, with what it rests on. */
    "CREATE TABLE eligibility_results ("
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " position INTEGER NOT NULL,"
    " code TEXT NOT NULL,"
    " passed INTEGER NOT NULL,"
    " reason TEXT NOT NULL,"
    " evidence TEXT,"
    " checked_at INTEGER NOT NULL,"
    " PRIMARY KEY (application_id, position)"
    ") STRICT, WITHOUT ROWID;",

    /* Files, stored by content (DATA/blobs/ab/<sha256>), each row one upload. */
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY,"
    " sha256 TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " media_type TEXT NOT NULL,"
    " filename TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " application_id INTEGER REFERENCES applications (id),"
    " uploaded_by INTEGER NOT NULL,"
    " uploaded_at INTEGER NOT NULL,"
    " deleted_at INTEGER"
    ") STRICT;",
    "CREATE INDEX attachments_application ON attachments (application_id);",
    "CREATE INDEX attachments_sha256 ON attachments (sha256);",

    "CREATE TABLE panels ("
    " id INTEGER PRIMARY KEY,"
    " campaign_id INTEGER NOT NULL REFERENCES campaigns (id),"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
    " created_at INTEGER NOT NULL,"
    " closed_at INTEGER"
    ") STRICT;",
    "CREATE TABLE panel_experts ("
    " panel_id INTEGER NOT NULL REFERENCES panels (id),"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " PRIMARY KEY (panel_id, user_id)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE INDEX panel_experts_user ON panel_experts (user_id);",
    "CREATE TABLE panel_applications ("
    " panel_id INTEGER NOT NULL REFERENCES panels (id),"
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " PRIMARY KEY (panel_id, application_id)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE UNIQUE INDEX panel_applications_once ON panel_applications (application_id);",
    /* A declared tie excludes the expert from that application. */
    "CREATE TABLE conflict_declarations ("
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " expert_id INTEGER NOT NULL REFERENCES users (id),"
    " conflicted INTEGER NOT NULL,"
    " statement TEXT,"
    " declared_at INTEGER NOT NULL,"
    " PRIMARY KEY (application_id, expert_id)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE scores ("
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " expert_id INTEGER NOT NULL REFERENCES users (id),"
    " criterion INTEGER NOT NULL,"
    " points INTEGER NOT NULL CHECK (points >= 0),"
    " comment TEXT,"
    " updated_at INTEGER NOT NULL,"
    " PRIMARY KEY (application_id, expert_id, criterion)"
    ") STRICT, WITHOUT ROWID;",
    /* A submitted score sheet is final. */
    "CREATE TABLE score_sheets ("
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " expert_id INTEGER NOT NULL REFERENCES users (id),"
    " submitted_at INTEGER NOT NULL,"
    " PRIMARY KEY (application_id, expert_id)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE objections ("
    " id INTEGER PRIMARY KEY,"
    " campaign_id INTEGER NOT NULL REFERENCES campaigns (id),"
    " application_id INTEGER NOT NULL REFERENCES applications (id),"
    " received_at INTEGER NOT NULL,"
    " complainant TEXT,"
    " content TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('received', 'investigating', 'upheld',"
    "  'rejected')),"
    " findings TEXT,"
    " decided_at INTEGER,"
    " decided_by INTEGER,"
    " created_by INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX objections_campaign ON objections (campaign_id);",

    /* Revocation causes (DOMAIN.md §3), as editable reference rows. */
    "CREATE TABLE revocation_causes ("
    " code TEXT PRIMARY KEY,"
    " name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL,"
    " ban_years INTEGER NOT NULL DEFAULT 0,"
    " position INTEGER NOT NULL"
    ") STRICT;",
    "INSERT INTO revocation_causes (code, name_zh, name_en, ban_years, position) VALUES"
    " ('product_risk', '所提供的产品和服务存在安全风险并产生危害',"
    "  'products or services carried a security risk that caused harm', 0, 1),"
    " ('missed_hazard', '应发现而未发现所服务用户重要信息系统安全隐患',"
    "  'failed to find serious hazards it should have found', 0, 2),"
    " ('poor_handling', '事件处置、配合调查及取证工作不力',"
    "  'poor performance in incident handling, investigation or forensics', 0, 3),"
    " ('confidentiality_breach', '违反保密规定造成严重后果',"
    "  'breach of confidentiality with serious consequences', 0, 4),"
    " ('misuse_of_name', '借用主管部门名义开展商业活动',"
    "  'used the authority''s name for business', 3, 5);",

    "CREATE TABLE certificates ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE,"
    " campaign_id INTEGER REFERENCES campaigns (id),"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " application_id INTEGER REFERENCES applications (id),"
    " holder_name TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " issuing_authorities TEXT NOT NULL,"
    " valid_from TEXT NOT NULL,"
    " valid_to TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'cancelled', 'revoked',"
    "  'expired')),"
    " version INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX certificates_unit ON certificates (unit_id);",
    "CREATE INDEX certificates_due ON certificates (valid_to) WHERE status IN ('valid',"
    " 'suspended');",
    /* Every status the certificate has had: the public history. */
    "CREATE TABLE certificate_events ("
    " certificate_id INTEGER NOT NULL REFERENCES certificates (id),"
    " seq INTEGER NOT NULL,"
    " from_status TEXT,"
    " to_status TEXT NOT NULL,"
    " cause TEXT,"
    " reason TEXT,"
    " at INTEGER NOT NULL,"
    " actor_id INTEGER,"
    " PRIMARY KEY (certificate_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    /* A reported change of ownership or legal representative, to be re-reviewed. */
    "CREATE TABLE requalification_tasks ("
    " id INTEGER PRIMARY KEY,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " certificate_id INTEGER REFERENCES certificates (id),"
    " kind TEXT NOT NULL CHECK (kind IN ('ownership', 'legal_representative')),"
    " description TEXT NOT NULL,"
    " reported_at INTEGER NOT NULL,"
    " reported_by INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
    " decision TEXT,"
    " closed_at INTEGER,"
    " closed_by INTEGER"
    ") STRICT;",
    "CREATE INDEX requalification_tasks_status ON requalification_tasks (status, reported_at);",
    NULL,
};

const struct store_migration store_migration_list[] = {
    {1, "foundation: settings, units, users, sessions, tokens, audit chain", m1_foundation},
    {2, "selection: campaigns, applications, reviews, certificates, attachments", m2_selection},
    {3, "incidents: classes and levels, dispatch and its clocks, upward reports, outbox, work log",
     store_m3_incidents},
    {4, "indexes: the board's deadline order, timers and notices by object", store_m4_indexes},
    {5, "threat reports and early warnings", store_m5_threats},
    {6, "indicator store: indicators, sources, tags, reports, warning lists, imports",
     store_m6_indicators},
    {7, "constituency: constituents, ranges, AS numbers, domains, contacts", store_m7_constituency},
    {8, "disposal notices: values, five-tuples, recipients, events", store_m8_disposals},
    {9, "indicator feeds: sources, schedules, validators, run history", store_m9_feeds},
    {10, "indicator tables rebuilt with checks that cost nothing per row",
     store_m10_indicator_checks},
    {11, "indicator indexes no query reads dropped", store_m11_unused_indexes},
};
const size_t store_migration_count = YJ_ARRAY_LEN(store_migration_list);
