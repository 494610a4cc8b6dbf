"""Case search within a scope, by scoped words (``casework.models.ScopedLexemes``).

Migration 0007 led the full-text indexes with the scope (btree_gin: ``(force, search_vector)``), meant to read only
the scope's matches. A multi-column GIN index does not do that: it keeps one posting list per value of each column,
so its list for "smith" holds every case in England and Wales with a Smith, and a search intersects that with the
list of every case of the force (140,000 for the Met at a million cases). Searching the Met for "Mark Stevens"
read the national lists of "mark", the 20 names like it and "stevens": 9-12 ms at a million cases against 0.1 ms at
ten thousand, growing with the whole country's data rather than with the force's matches.

The new indexes are over ``casework_scoped_lexemes(scope_id, search_vector)``: every lexeme of the case written
after its force's id (and, for cases sent to the CPS, its Area's id), "16:smith". Their posting list for
"16:smith" holds the Met's Smiths alone. The function is IMMUTABLE (the index needs that, and it is: it depends on
its arguments only) and is evaluated once per row written, not per search. The CPS Direct index is unchanged: its
condition already makes it an index of that scope alone.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

import casework.models

SCOPED_LEXEMES = """
CREATE FUNCTION casework_scoped_lexemes(scope_id bigint, search_vector tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT scope_id::text || ':' || lexeme FROM unnest(tsvector_to_array(search_vector)) lexeme)
$$;
"""

NO_SCOPED_LEXEMES = "DROP FUNCTION IF EXISTS casework_scoped_lexemes(bigint, tsvector);"


class Migration(migrations.Migration):
    # The indexes are built without blocking writes: the case table holds millions of rows in service.
    atomic = False

    dependencies = [
        ("casework", "0008_covered_indexes_dropped"),
    ]

    operations = [
        migrations.RunSQL(SCOPED_LEXEMES, NO_SCOPED_LEXEMES),
        AddIndexConcurrently(
            model_name="case",
            index=GinIndex(
                casework.models.ScopedLexemes(models.F("force"), models.F("search_vector")),
                name="case_force_lexemes_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=GinIndex(
                casework.models.ScopedLexemes(models.F("cps_area"), models.F("search_vector")),
                condition=models.Q(("sent_to_cps_at__isnull", False)),
                name="case_area_lexemes_idx",
            ),
        ),
        RemoveIndexConcurrently(model_name="case", name="case_force_search_idx"),
        RemoveIndexConcurrently(model_name="case", name="case_area_search_idx"),
    ]
