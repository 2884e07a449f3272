/*
 * migrations_8.c - migration 8: disposal notices (处置通知) sent from an accepted
 * threat report to the constituents owning its values, each with exactly what was
 * sent (subject, text, the values and five-tuples, the recipients), the hash of the
 * owner's link token, its state and its event history. One notice per report and
 * constituent (UNIQUE): sending again is a resend of that notice. Append-only;
 * listed in migrations.c.
 */
#include "store/store_int.h"

const char *const store_m8_disposals[] = {
    "CREATE TABLE disposals ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " threat_report_id INTEGER NOT NULL REFERENCES threat_reports (id),"
    " constituent_id INTEGER NOT NULL REFERENCES constituents (id),"
    /* The owner as it was when the notice went out (it may be renamed or deleted later). */
    " constituent_name TEXT NOT NULL,"
    " constituent_kind TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('sent', 'acknowledged', 'handled')),"
    " measure TEXT NOT NULL CHECK (measure IN ('stop_service', 'block_resource',"
    "  'remove_malware', 'order_fix', 'other')),"
    " measure_blocks INTEGER NOT NULL DEFAULT 0 CHECK (measure_blocks BETWEEN 0 AND 31),"
    " measure_text TEXT,"
    " subject TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " deadline_at INTEGER NOT NULL,"
    " overdue_at INTEGER," /* kept once set: a notice handled late shows it */
    /* SHA-256 (hex) of the token in the owner's link; the token itself is never stored. */
    " token_hash TEXT NOT NULL UNIQUE,"
    " created_by INTEGER NOT NULL REFERENCES users (id),"
    " created_at INTEGER NOT NULL,"
    " sent_at INTEGER NOT NULL," /* the last time it went out */
    " acknowledged_at INTEGER,"
    " acknowledged_by TEXT,"
    " handled_at INTEGER,"
    " handled_by TEXT,"
    " feedback TEXT,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (threat_report_id, constituent_id)"
    ") STRICT;",
    "CREATE INDEX disposals_constituent ON disposals (constituent_id, id);",
    /* The list's order: open overdue notices first, then by deadline (store_disposal.c
     * writes the same terms). */
    "CREATE INDEX disposals_board ON disposals"
    " ((overdue_at IS NULL OR status = 'handled'), deadline_at, id);",
    "CREATE TABLE disposal_values ("
    " disposal_id INTEGER NOT NULL REFERENCES disposals (id),"
    " position INTEGER NOT NULL,"
    " type TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " PRIMARY KEY (disposal_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE disposal_tuples ("
    " disposal_id INTEGER NOT NULL REFERENCES disposals (id),"
    " position INTEGER NOT NULL,"
    " src_ip TEXT NOT NULL,"
    " src_port INTEGER CHECK (src_port BETWEEN 1 AND 65535),"
    " dst_ip TEXT NOT NULL,"
    " dst_port INTEGER CHECK (dst_port BETWEEN 1 AND 65535),"
    " protocol TEXT NOT NULL,"
    " first_seen INTEGER,"
    " last_seen INTEGER,"
    " count INTEGER NOT NULL CHECK (count >= 1),"
    " PRIMARY KEY (disposal_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE disposal_recipients ("
    " disposal_id INTEGER NOT NULL REFERENCES disposals (id),"
    " position INTEGER NOT NULL,"
    " role TEXT NOT NULL,"
    " name TEXT,"
    " email TEXT,"
    " phone TEXT,"
    " PRIMARY KEY (disposal_id, position)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE disposal_events ("
    " disposal_id INTEGER NOT NULL REFERENCES disposals (id),"
    " seq INTEGER NOT NULL,"
    " at INTEGER NOT NULL,"
    " action TEXT NOT NULL CHECK (action IN ('sent', 'resent', 'acknowledged', 'handled',"
    "  'overdue')),"
    " actor TEXT NOT NULL CHECK (actor IN ('user', 'owner', 'system')),"
    " user_id INTEGER REFERENCES users (id)," /* with actor 'user' */
    " by_name TEXT," /* who, as shown: the user's name, the name the owner gave */
    " note TEXT,"
    " PRIMARY KEY (disposal_id, seq)"
    ") STRICT, WITHOUT ROWID;",
    NULL,
};
