"""``casebridge_int_array_sum`` skips rows without a histogram instead of calling its step function for
them: most snapshot rows (every metric that is not a day count) have none, and calling a SQL function for
each of them made rolling up a national year of snapshots take twenty minutes instead of a few."""

from django.db import migrations

STRICT_SUM = """
CREATE OR REPLACE FUNCTION casebridge_int_array_add_strict(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i
    )
$$;
DROP AGGREGATE IF EXISTS casebridge_int_array_sum(integer[]);
CREATE AGGREGATE casebridge_int_array_sum(integer[]) (
    SFUNC = casebridge_int_array_add_strict, STYPE = integer[], COMBINEFUNC = casebridge_int_array_add_strict,
    PARALLEL = SAFE
);
"""
NON_STRICT_SUM = """
DROP AGGREGATE IF EXISTS casebridge_int_array_sum(integer[]);
CREATE AGGREGATE casebridge_int_array_sum(integer[]) (
    SFUNC = casebridge_int_array_add, STYPE = integer[], COMBINEFUNC = casebridge_int_array_add, PARALLEL = SAFE
);
DROP FUNCTION IF EXISTS casebridge_int_array_add_strict(integer[], integer[]);
"""


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_rollup")]

    operations = [migrations.RunSQL(STRICT_SUM, NON_STRICT_SUM)]
