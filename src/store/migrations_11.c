/*
 * migrations_11.c - migration 11: two indexes of migration 10 that no query uses
 * dropped, for the speed of a bulk import. indicators_category (category, id) and
 * indicator_tags_tag (tag, indicator_id) were meant for the list's ?category= and
 * ?tag= filters, but that query (store_indicator_list) is one statement for every
 * filter, "(?2 IS NULL OR category = ?2)", which SQLite plans as a walk of the
 * indicators by id whatever is bound (EXPLAIN QUERY PLAN: SCAN i, the tags by their
 * primary key): neither index was ever read, yet every imported indicator and tag
 * inserted into them (a sixth of the pages an import of 200,000 writes, and of its
 * b-tree work). No foreign key needs them: the tags' primary key starts with
 * indicator_id. A query written to use such an order brings its index back in a
 * migration of its own. Append-only; listed in migrations.c.
 */
#include "store/store_int.h"

const char *const store_m11_unused_indexes[] = {
    "DROP INDEX indicators_category;",
    "DROP INDEX indicator_tags_tag;",
    NULL,
};
