/*
 * migrations_7.c - migration 7: the constituency (issue 5): the organisations
 * whose incidents yingji handles (operators, platforms, government sites...),
 * with the IP ranges, AS numbers and domains they own and their abuse and
 * security contacts. A range or a domain belongs to one constituent (UNIQUE), so
 * that an address or name resolves to one owner. Append-only; listed in migrations.c.
 */
#include "store/store_int.h"

const char *const store_m7_constituency[] = {
    "CREATE TABLE constituents ("
    " id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('operator', 'platform', 'government', 'cii', 'other')),"
    " province TEXT,"
    " city TEXT,"
    " notes TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " deleted_at INTEGER" /* NULL: live */
    ") STRICT;",
    /* A deleted constituent gives up its ranges and domains (the audit entry keeps them). */
    "CREATE TABLE constituent_ranges ("
    " constituent_id INTEGER NOT NULL REFERENCES constituents (id),"
    " cidr TEXT NOT NULL UNIQUE" /* canonical cidr4 or cidr6 (intel_canonical) */
    ") STRICT;",
    "CREATE INDEX constituent_ranges_owner ON constituent_ranges (constituent_id);",
    "CREATE TABLE constituent_asns ("
    " constituent_id INTEGER NOT NULL REFERENCES constituents (id),"
    " asn INTEGER NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),"
    " PRIMARY KEY (constituent_id, asn)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE TABLE constituent_domains ("
    " constituent_id INTEGER NOT NULL REFERENCES constituents (id),"
    " domain TEXT NOT NULL UNIQUE" /* canonical; its subdomains are the owner's too */
    ") STRICT;",
    "CREATE INDEX constituent_domains_owner ON constituent_domains (constituent_id);",
    "CREATE TABLE constituent_contacts ("
    " constituent_id INTEGER NOT NULL REFERENCES constituents (id),"
    " position INTEGER NOT NULL," /* the order they were given in */
    " role TEXT NOT NULL CHECK (role IN ('abuse', 'security', 'other')),"
    " name TEXT,"
    " email TEXT,"
    " phone TEXT,"
    " PRIMARY KEY (constituent_id, position)"
    ") STRICT, WITHOUT ROWID;",
    NULL,
};
