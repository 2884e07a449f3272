/*
 * migrations_incidents.c - migration 3: incidents and emergency dispatch under the
 * 2-hour commitment, upward reporting, the notification outbox, the units' work
 * record and drills. Append-only like migrations.c; listed there.
 *
 * Reference data (STANDARDS.md §1-3) is seeded as rows an authority can correct,
 * with the Chinese name as the stable key and generated codes: GB/T 20986-2023's
 * classes and sub-classes (the 2007 classes as aliases), the four levels with
 * their dispatch deadlines, the CAC grading guide's thresholds (cells the
 * standard's text did not confirm are marked so), and the reporting deadlines
 * per operator type.
 */
#include "store/store_int.h"

const char *const store_m3_incidents[] = {
    "CREATE TABLE incident_classes ("
    " code TEXT PRIMARY KEY,"
    " name_zh TEXT NOT NULL,"
    " name_en TEXT,"
    " parent_code TEXT REFERENCES incident_classes (code),"
    " standard TEXT NOT NULL CHECK (standard IN ('2023', '2007')),"
    /* A 2007 class names the 2023 class old records map to. */
    " alias_of TEXT REFERENCES incident_classes (code),"
    " position INTEGER NOT NULL,"
    " CHECK (parent_code IS NULL OR alias_of IS NULL)"
    ") STRICT;",
    "CREATE UNIQUE INDEX incident_classes_name ON incident_classes"
    " (standard, COALESCE(parent_code, ''), name_zh);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('MAL', '恶意程序事件', 'Malware incident', NULL, '2023', NULL, 1),"
    " ('MAL.01', '计算机病毒', NULL, 'MAL', '2023', NULL, 1),"
    " ('MAL.02', '网络蠕虫', NULL, 'MAL', '2023', NULL, 2),"
    " ('MAL.03', '特洛伊木马', NULL, 'MAL', '2023', NULL, 3),"
    " ('MAL.04', '僵尸网络', NULL, 'MAL', '2023', NULL, 4),"
    " ('MAL.05', '恶意代码内嵌网页', NULL, 'MAL', '2023', NULL, 5),"
    " ('MAL.06', '恶意代码宿主站点', NULL, 'MAL', '2023', NULL, 6),"
    " ('MAL.07', '勒索软件', NULL, 'MAL', '2023', NULL, 7),"
    " ('MAL.08', '挖矿病毒', NULL, 'MAL', '2023', NULL, 8),"
    " ('MAL.09', '混合攻击程序', NULL, 'MAL', '2023', NULL, 9),"
    " ('MAL.10', '其他恶意程序', NULL, 'MAL', '2023', NULL, 10);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('ATK', '网络攻击事件', 'Network attack incident', NULL, '2023', NULL, 2),"
    " ('ATK.01', '网络扫描探测', NULL, 'ATK', '2023', NULL, 1),"
    " ('ATK.02', '网络钓鱼', NULL, 'ATK', '2023', NULL, 2),"
    " ('ATK.03', '漏洞利用', NULL, 'ATK', '2023', NULL, 3),"
    " ('ATK.04', '后门利用', NULL, 'ATK', '2023', NULL, 4),"
    " ('ATK.05', '后门植入', NULL, 'ATK', '2023', NULL, 5),"
    " ('ATK.06', '凭据攻击', NULL, 'ATK', '2023', NULL, 6),"
    " ('ATK.07', '信号干扰', NULL, 'ATK', '2023', NULL, 7),"
    " ('ATK.08', '拒绝服务', NULL, 'ATK', '2023', NULL, 8),"
    " ('ATK.09', '网页篡改', NULL, 'ATK', '2023', NULL, 9),"
    " ('ATK.10', '暗链植入', NULL, 'ATK', '2023', NULL, 10),"
    " ('ATK.11', '域名劫持', NULL, 'ATK', '2023', NULL, 11),"
    " ('ATK.12', '域名转嫁', NULL, 'ATK', '2023', NULL, 12),"
    " ('ATK.13', 'DNS污染', NULL, 'ATK', '2023', NULL, 13),"
    " ('ATK.14', 'WLAN劫持', NULL, 'ATK', '2023', NULL, 14),"
    " ('ATK.15', '流量劫持', NULL, 'ATK', '2023', NULL, 15),"
    " ('ATK.16', 'BGP劫持攻击', NULL, 'ATK', '2023', NULL, 16),"
    " ('ATK.17', '广播欺诈', NULL, 'ATK', '2023', NULL, 17),"
    " ('ATK.18', '失陷主机', NULL, 'ATK', '2023', NULL, 18),"
    " ('ATK.19', '供应链攻击', NULL, 'ATK', '2023', NULL, 19),"
    " ('ATK.20', 'APT', NULL, 'ATK', '2023', NULL, 20),"
    " ('ATK.21', '其他网络攻击', NULL, 'ATK', '2023', NULL, 21);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('DAT', '数据安全事件', 'Data security incident', NULL, '2023', NULL, 3),"
    " ('DAT.01', '数据篡改', NULL, 'DAT', '2023', NULL, 1),"
    " ('DAT.02', '数据假冒', NULL, 'DAT', '2023', NULL, 2),"
    " ('DAT.03', '数据泄露', NULL, 'DAT', '2023', NULL, 3),"
    " ('DAT.04', '社会工程', NULL, 'DAT', '2023', NULL, 4),"
    " ('DAT.05', '数据窃取', NULL, 'DAT', '2023', NULL, 5),"
    " ('DAT.06', '数据拦截', NULL, 'DAT', '2023', NULL, 6),"
    " ('DAT.07', '位置检测', NULL, 'DAT', '2023', NULL, 7),"
    " ('DAT.08', '数据投毒', NULL, 'DAT', '2023', NULL, 8),"
    " ('DAT.09', '数据滥用', NULL, 'DAT', '2023', NULL, 9),"
    " ('DAT.10', '隐私侵犯', NULL, 'DAT', '2023', NULL, 10),"
    " ('DAT.11', '数据损失', NULL, 'DAT', '2023', NULL, 11),"
    " ('DAT.12', '其他数据安全', NULL, 'DAT', '2023', NULL, 12);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('CNT', '信息内容安全事件', 'Information content security incident', NULL, '2023', NULL, 4),"
    " ('CNT.01', '反动宣传', NULL, 'CNT', '2023', NULL, 1),"
    " ('CNT.02', '暴恐宣扬', NULL, 'CNT', '2023', NULL, 2),"
    " ('CNT.03', '色情传播', NULL, 'CNT', '2023', NULL, 3),"
    " ('CNT.04', '虚假信息传播', NULL, 'CNT', '2023', NULL, 4),"
    " ('CNT.05', '权益侵害', NULL, 'CNT', '2023', NULL, 5),"
    " ('CNT.06', '信息滥发', NULL, 'CNT', '2023', NULL, 6),"
    " ('CNT.07', '网络欺诈', NULL, 'CNT', '2023', NULL, 7),"
    " ('CNT.08', '其他信息内容安全', NULL, 'CNT', '2023', NULL, 8);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('EQP', '设备设施故障事件', 'Equipment and facility failure', NULL, '2023', NULL, 5),"
    " ('EQP.01', '技术故障', NULL, 'EQP', '2023', NULL, 1),"
    " ('EQP.02', '配套设施故障', NULL, 'EQP', '2023', NULL, 2),"
    " ('EQP.03', '物理损害', NULL, 'EQP', '2023', NULL, 3),"
    " ('EQP.04', '辐射干扰', NULL, 'EQP', '2023', NULL, 4),"
    " ('EQP.05', '其他设备设施故障', NULL, 'EQP', '2023', NULL, 5);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('OPS', '违规操作事件', 'Non-compliant operation', NULL, '2023', NULL, 6),"
    " ('OPS.01', '权限滥用', NULL, 'OPS', '2023', NULL, 1),"
    " ('OPS.02', '权限伪造', NULL, 'OPS', '2023', NULL, 2),"
    " ('OPS.03', '行为抵赖', NULL, 'OPS', '2023', NULL, 3),"
    " ('OPS.04', '故意违规操作', NULL, 'OPS', '2023', NULL, 4),"
    " ('OPS.05', '误操作', NULL, 'OPS', '2023', NULL, 5),"
    " ('OPS.06', '人员可用性破坏', NULL, 'OPS', '2023', NULL, 6),"
    " ('OPS.07', '资源未授权使用', NULL, 'OPS', '2023', NULL, 7),"
    " ('OPS.08', '版权违反', NULL, 'OPS', '2023', NULL, 8),"
    " ('OPS.09', '其他违规操作', NULL, 'OPS', '2023', NULL, 9);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('VUL', '安全隐患事件', 'Security hazard', NULL, '2023', NULL, 7),"
    " ('VUL.01', '网络漏洞', NULL, 'VUL', '2023', NULL, 1),"
    " ('VUL.02', '网络配置合规缺陷', NULL, 'VUL', '2023', NULL, 2),"
    " ('VUL.03', '其他安全隐患', NULL, 'VUL', '2023', NULL, 3);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('ABN', '异常行为事件', 'Abnormal behaviour', NULL, '2023', NULL, 8),"
    " ('ABN.01', '访问异常', NULL, 'ABN', '2023', NULL, 1),"
    " ('ABN.02', '流量异常', NULL, 'ABN', '2023', NULL, 2),"
    " ('ABN.03', '其他异常行为', NULL, 'ABN', '2023', NULL, 3);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('FRC', '不可抗力事件', 'Force majeure', NULL, '2023', NULL, 9),"
    " ('FRC.01', '自然灾害', NULL, 'FRC', '2023', NULL, 1),"
    " ('FRC.02', '事故灾难', NULL, 'FRC', '2023', NULL, 2),"
    " ('FRC.03', '公共卫生', NULL, 'FRC', '2023', NULL, 3),"
    " ('FRC.04', '社会安全', NULL, 'FRC', '2023', NULL, 4),"
    " ('FRC.05', '其他不可抗力', NULL, 'FRC', '2023', NULL, 5);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('OTH', '其他事件', 'Other incident', NULL, '2023', NULL, 10);",
    "INSERT INTO incident_classes (code, name_zh, name_en, parent_code, standard, alias_of,"
    " position) VALUES"
    " ('G07.HP', '有害程序事件', 'Harmful program (2007)', NULL, '2007', 'MAL', 1),"
    " ('G07.NA', '网络攻击事件', 'Network attack (2007)', NULL, '2007', 'ATK', 2),"
    " ('G07.ID', '信息破坏事件', 'Information destruction (2007)', NULL, '2007', 'DAT', 3),"
    " ('G07.IC', '信息内容安全事件', 'Information content security (2007)', NULL, '2007', 'CNT', "
    "4),"
    " ('G07.EF', '设备设施故障', 'Equipment and facility failure (2007)', NULL, '2007', 'EQP', 5),"
    " ('G07.DS', '灾害性事件', 'Disaster (2007)', NULL, '2007', 'FRC', 6),"
    " ('G07.OT', '其他信息安全事件', 'Other information security incident (2007)', NULL, '2007', "
    "'OTH', 7);",
    /* The four levels (GB/T 20986, STANDARDS.md §2) and what each sets: the
     * dispatch acknowledgement deadline, the on-site commitment, whether the
     * incident must be reported upward (较大 and above), the warning colour. */
    "CREATE TABLE incident_levels ("
    " code TEXT PRIMARY KEY,"
    " name_zh TEXT NOT NULL UNIQUE,"
    " name_en TEXT NOT NULL,"
    " roman TEXT NOT NULL,"
    " severity INTEGER NOT NULL UNIQUE," /* 1 the gravest */
    " warning_color TEXT NOT NULL,"
    " ack_minutes INTEGER NOT NULL CHECK (ack_minutes BETWEEN 1 AND 1440),"
    " commitment_minutes INTEGER NOT NULL CHECK (commitment_minutes BETWEEN 1 AND 2880),"
    " must_report INTEGER NOT NULL CHECK (must_report IN (0, 1)),"
    " pass_on INTEGER NOT NULL CHECK (pass_on IN (0, 1))"
    ") STRICT;",
    "INSERT INTO incident_levels (code, name_zh, name_en, roman, severity, warning_color,"
    " ack_minutes, commitment_minutes, must_report, pass_on) VALUES"
    " ('extraordinary', '特别重大', 'Extraordinarily major', 'Ⅰ', 1, 'red', 15, 120, 1, 1),"
    " ('major', '重大', 'Major', 'Ⅱ', 2, 'orange', 15, 120, 1, 1),"
    " ('significant', '较大', 'Significant', 'Ⅲ', 3, 'yellow', 30, 120, 1, 0),"
    " ('general', '一般', 'General', 'Ⅳ', 4, 'blue', 30, 120, 0, 0);",
    /* The CAC grading guide's quantitative thresholds: a fact at or above the
     * threshold suggests the level. confirmed = 0 for the cells taken from the 2023
     * draft (STANDARDS.md marks them unconfirmed). */
    "CREATE TABLE incident_grading_rules ("
    " metric TEXT NOT NULL,"
    " level TEXT NOT NULL REFERENCES incident_levels (code),"
    " threshold INTEGER NOT NULL CHECK (threshold > 0),"
    " confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),"
    " PRIMARY KEY (metric, level)"
    ") STRICT, WITHOUT ROWID;",
    "INSERT INTO incident_grading_rules (metric, level, threshold, confirmed) VALUES"
    " ('personal_records', 'extraordinary', 100000000, 1),"
    " ('personal_records', 'major', 10000000, 0),"
    " ('personal_records', 'significant', 1000000, 0),"
    " ('direct_loss_cny', 'extraordinary', 100000000, 1),"
    " ('direct_loss_cny', 'major', 20000000, 0),"
    " ('direct_loss_cny', 'significant', 5000000, 0),"
    " ('cii_outage_whole_min', 'extraordinary', 360, 1),"
    " ('cii_outage_whole_min', 'major', 120, 0),"
    " ('cii_outage_whole_min', 'significant', 30, 0),"
    " ('cii_outage_main_min', 'extraordinary', 1440, 1),"
    " ('cii_outage_main_min', 'major', 360, 0),"
    " ('cii_outage_main_min', 'significant', 120, 0),"
    " ('portal_down_min', 'extraordinary', 1440, 1),"
    " ('portal_down_min', 'major', 360, 0),"
    " ('portal_down_min', 'significant', 120, 0),"
    " ('defacement_min', 'extraordinary', 360, 1),"
    " ('defacement_min', 'major', 120, 0),"
    " ('defacement_min', 'significant', 30, 0);",
    /* The CAC reporting measures (STANDARDS.md §3): to whom an operator of each
     * type reports first, by when, and within how long 重大 and above are passed on. */
    "CREATE TABLE report_deadlines ("
    " operator_type TEXT PRIMARY KEY,"
    " name_zh TEXT NOT NULL UNIQUE,"
    " recipient_zh TEXT NOT NULL,"
    " first_minutes INTEGER NOT NULL CHECK (first_minutes BETWEEN 1 AND 10080),"
    " pass_on_minutes INTEGER NOT NULL CHECK (pass_on_minutes BETWEEN 1 AND 10080),"
    " final_days INTEGER NOT NULL CHECK (final_days BETWEEN 1 AND 365)"
    ") STRICT;",
    "INSERT INTO report_deadlines (operator_type, name_zh, recipient_zh, first_minutes,"
    " pass_on_minutes, final_days) VALUES"
    " ('cii', '关键信息基础设施运营者', '保护工作部门和公安机关', 60, 30, 30),"
    " ('central_state', '中央和国家机关', '本单位网信工作机构', 120, 60, 30),"
    " ('other', '其他网络运营者', '属地省级网信部门', 240, 60, 30);",

    "CREATE TABLE incidents ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " title TEXT NOT NULL,"
    " class_code TEXT REFERENCES incident_classes (code),"
    " subclass_code TEXT REFERENCES incident_classes (code),"
    " level TEXT REFERENCES incident_levels (code),"          /* confirmed by a person */
    " level_proposed TEXT REFERENCES incident_levels (code)," /* by the grading helper */
    " level_reason TEXT,"                                     /* the helper's reason */
    " level_override_reason TEXT,"                            /* why the person chose otherwise */
    " grading_facts TEXT,"                                    /* JSON: what the helper was given */
    " graded_at INTEGER,"
    " graded_by INTEGER,"
    " affected_org TEXT NOT NULL,"
    " affected_system TEXT,"
    " operator_type TEXT NOT NULL REFERENCES report_deadlines (operator_type),"
    " province TEXT,"
    " city TEXT,"
    " discovered_at INTEGER NOT NULL,"
    " source TEXT NOT NULL CHECK (source IN ('unit_discovery', 'authority', 'public_report',"
    "  'monitoring_alert', 'threat_match')),"
    " source_unit_id INTEGER REFERENCES units (id),"
    " description TEXT,"
    " indicators TEXT NOT NULL DEFAULT '[]'," /* JSON array of {type, value} */
    " ransom TEXT,"                           /* JSON object, ransomware only */
    " status TEXT NOT NULL CHECK (status IN ('reported', 'triaged', 'dispatched',"
    "  'in_progress', 'contained', 'resolved', 'closed')),"
    " parent_id INTEGER REFERENCES incidents (id),"
    " merged_into INTEGER REFERENCES incidents (id),"
    " final_report TEXT," /* JSON; closing needs it */
    " resolved_at INTEGER,"
    " closed_at INTEGER,"
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    /* The authority's board: open incidents by level and state. */
    "CREATE INDEX incidents_open ON incidents (status, level, id) WHERE status <> 'closed'"
    " AND merged_into IS NULL;",
    "CREATE INDEX incidents_parent ON incidents (parent_id) WHERE parent_id IS NOT NULL;",
    "CREATE INDEX incidents_merged ON incidents (merged_into) WHERE merged_into IS NOT NULL;",
    /* The timeline: every step, who, when, what. Append-only: the triggers refuse
     * any change, so not even a bug in yingji can rewrite history. unit_id names the
     * unit an entry concerns (its dispatch), so a unit sees its own entries only. */
    "CREATE TABLE incident_events ("
    " incident_id INTEGER NOT NULL REFERENCES incidents (id),"
    " seq INTEGER NOT NULL,"
    " at INTEGER NOT NULL,"
    " actor_id INTEGER NOT NULL," /* 0: the system */
    " actor TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " unit_id INTEGER,"
    " detail TEXT NOT NULL DEFAULT '{}',"
    " PRIMARY KEY (incident_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TRIGGER incident_events_keep_u BEFORE UPDATE ON incident_events"
    " BEGIN SELECT RAISE(ABORT, 'incident_events are append-only'); END;",
    "CREATE TRIGGER incident_events_keep_d BEFORE DELETE ON incident_events"
    " BEGIN SELECT RAISE(ABORT, 'incident_events are append-only'); END;",
    /* Evidence: files by SHA-256 (DATA/blobs), who added each and when, each entry
     * chained to the one before by hash: a chain of custody that can only grow. */
    "CREATE TABLE incident_evidence ("
    " incident_id INTEGER NOT NULL REFERENCES incidents (id),"
    " seq INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " filename TEXT NOT NULL,"
    " media_type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " note TEXT,"
    " added_by INTEGER NOT NULL,"
    " added_by_name TEXT NOT NULL,"
    " unit_id INTEGER," /* the adding user's unit, if a unit's */
    " added_at INTEGER NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " entry_hash TEXT NOT NULL,"
    " PRIMARY KEY (incident_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TRIGGER incident_evidence_keep_u BEFORE UPDATE ON incident_evidence"
    " BEGIN SELECT RAISE(ABORT, 'incident_evidence is append-only'); END;",
    "CREATE TRIGGER incident_evidence_keep_d BEFORE DELETE ON incident_evidence"
    " BEGIN SELECT RAISE(ABORT, 'incident_evidence is append-only'); END;",

    /* One unit sent to one incident, with the clock of its commitment. */
    "CREATE TABLE dispatches ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " incident_id INTEGER NOT NULL REFERENCES incidents (id),"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " status TEXT NOT NULL CHECK (status IN ('notified', 'accepted', 'declined', 'working',"
    "  'resolved', 'withdrawn')),"
    " urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),"
    " instructions TEXT,"
    " notified_at INTEGER NOT NULL,"
    " ack_due_at INTEGER NOT NULL,"
    " commit_due_at INTEGER NOT NULL," /* plan started and on site by then */
    " accepted_at INTEGER,"
    " declined_at INTEGER,"
    " decline_reason TEXT,"
    " plan_started_at INTEGER,"
    " on_site_at INTEGER,"
    " on_site_people TEXT,"
    " remote_support_at INTEGER,"
    " resolved_at INTEGER,"
    " withdrawn_at INTEGER,"
    " withdraw_reason TEXT,"
    " ack_breached_at INTEGER,"
    " commit_breached_at INTEGER,"
    " replaces INTEGER REFERENCES dispatches (id),"
    " unit_notes TEXT," /* the unit's own notes: the unit and the authority only */
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX dispatches_incident ON dispatches (incident_id, id);",
    "CREATE INDEX dispatches_unit ON dispatches (unit_id, id);",
    "CREATE UNIQUE INDEX dispatches_live ON dispatches (incident_id, unit_id)"
    " WHERE status NOT IN ('declined', 'withdrawn');",
    /* A missed deadline, recorded against the unit (evaluation reads these). */
    "CREATE TABLE breaches ("
    " id INTEGER PRIMARY KEY,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),"
    " incident_id INTEGER NOT NULL REFERENCES incidents (id),"
    " kind TEXT NOT NULL CHECK (kind IN ('ack', 'commitment')),"
    " due_at INTEGER NOT NULL,"
    " recorded_at INTEGER NOT NULL,"
    " UNIQUE (dispatch_id, kind)"
    ") STRICT;",
    "CREATE INDEX breaches_unit ON breaches (unit_id, due_at);",
    /* Deadlines live here, not only in memory: after a restart every pending one
     * resumes, and fired_at (set in the transaction that does the effect) makes each
     * fire once. */
    "CREATE TABLE timers ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " object_id INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL,"
    " fired_at INTEGER,"
    " cancelled_at INTEGER,"
    " UNIQUE (kind, object_id, due_at)"
    ") STRICT;",
    "CREATE INDEX timers_due ON timers (due_at, id) WHERE fired_at IS NULL"
    " AND cancelled_at IS NULL;",

    /* Upward reports (CAC measures): the first report (the first two items may go
     * first), follow-ups, the pass-on, the final report; each with its send time. */
    "CREATE TABLE upward_reports ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " incident_id INTEGER NOT NULL REFERENCES incidents (id),"
    " kind TEXT NOT NULL CHECK (kind IN ('first', 'pass_on', 'followup', 'final')),"
    " recipient TEXT NOT NULL,"
    " due_at INTEGER,"
    " content TEXT NOT NULL," /* JSON: the form's items */
    " complete INTEGER NOT NULL CHECK (complete IN (0, 1)),"
    " sent_at INTEGER,"
    " sent_by INTEGER,"
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX upward_reports_incident ON upward_reports (incident_id, id);",

    /* --- notifications ------------------------------------------------------------ */
    /* Webhook endpoints (SMS gateways, enterprise chat robots attach here). */
    "CREATE TABLE notify_webhooks ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " url TEXT NOT NULL,"
    " secret TEXT," /* signs each body (HMAC-SHA256); never shown again */
    " events TEXT NOT NULL DEFAULT '*',"
    " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") STRICT;",
    /* The outbox: written in the transaction of the change that causes it, delivered
     * afterwards by the worker, retried with back-off; every attempt recorded. */
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY,"
    " channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),"
    " recipient TEXT NOT NULL," /* an address, or the webhook's id */
    " recipient_name TEXT,"
    " event TEXT NOT NULL,"
    " subject TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " ref_type TEXT,"
    " ref_id INTEGER,"
    " dedupe_key TEXT UNIQUE,"
    " status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL,"
    " lease_until INTEGER,"
    " last_error TEXT,"
    " created_at INTEGER NOT NULL,"
    " sent_at INTEGER"
    ") STRICT;",
    "CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';",
    "CREATE INDEX outbox_ref ON outbox (ref_type, ref_id);",
    "CREATE TABLE outbox_attempts ("
    " outbox_id INTEGER NOT NULL REFERENCES outbox (id),"
    " n INTEGER NOT NULL,"
    " at INTEGER NOT NULL,"
    " ok INTEGER NOT NULL CHECK (ok IN (0, 1)),"
    " detail TEXT,"
    " PRIMARY KEY (outbox_id, n)"
    ") STRICT, WITHOUT ROWID;",
    /* In-app notifications for logged-in users. */
    "CREATE TABLE notifications ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " event TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " body TEXT,"
    " link TEXT,"
    " ref_type TEXT,"
    " ref_id INTEGER,"
    " created_at INTEGER NOT NULL,"
    " read_at INTEGER"
    ") STRICT;",
    "CREATE INDEX notifications_user ON notifications (user_id, id);",

    /* --- the units' work record ---------------------------------------------------- */
    "CREATE TABLE work_logs ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " kind TEXT NOT NULL CHECK (kind IN ('incident_response', 'technical_support',"
    "  'monitoring', 'major_event', 'other')),"
    " dispatch_id INTEGER REFERENCES dispatches (id),"
    " task TEXT NOT NULL,"
    " description TEXT,"
    " started_at INTEGER NOT NULL,"
    " ended_at INTEGER NOT NULL,"
    " people INTEGER NOT NULL CHECK (people BETWEEN 1 AND 1000),"
    " created_by INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " deleted_at INTEGER,"
    " CHECK (started_at < ended_at)"
    ") STRICT;",
    "CREATE INDEX work_logs_unit ON work_logs (unit_id, started_at);",
    /* Drills (演练): a test alert to units' on-call contacts, and when each answered. */
    "CREATE TABLE drills ("
    " id INTEGER PRIMARY KEY,"
    " title TEXT NOT NULL,"
    " message TEXT,"
    " sent_at INTEGER NOT NULL,"
    " created_by INTEGER NOT NULL"
    ") STRICT;",
    "CREATE TABLE drill_targets ("
    " drill_id INTEGER NOT NULL REFERENCES drills (id),"
    " unit_id INTEGER NOT NULL REFERENCES units (id),"
    " notified_at INTEGER NOT NULL,"
    " acked_at INTEGER,"
    " acked_by INTEGER,"
    " PRIMARY KEY (drill_id, unit_id)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE INDEX drill_targets_unit ON drill_targets (unit_id, notified_at);",
    NULL,
};
