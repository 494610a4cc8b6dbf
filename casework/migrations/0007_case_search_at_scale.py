"""Case search at national scale (``casework.selectors.case_search_visible_to``).

1. Full-text GIN indexes led by the user's scope (btree_gin): the force for police, the CPS Area for the CPS, and
   one of CPS Direct's cases alone. A search then reads only the posting lists of the scope's matches, instead
   of every match in England and Wales ANDed with a bitmap of the whole scope (every case of the Met, 140,000 at
   a million cases). They replace the national full-text index, which no search uses any more, and the trigram
   index on the names, which the name words below replace (building both cost the synthetic data generator as
   much time as the three new ones do).
2. The name words: every distinct word of people's names on cases, with a trigram index. A misspelt name in a
   search is looked up here (a few hundred to a few hundred thousand words, however many cases there are), and
   the cases are then found by full text on the words it is like. Matching the misspelling against every case's
   names instead grew with the number of cases: at 200,000 cases, "Mohammed Reed" in the Met re-read 1,168
   cases to find 89 (the trigram index can only say which cases share some trigrams with the words); through
   these words it reads the 89.

   Triggers keep the words up to date, in the database because cases get names in more than one way: the
   services update ``search_names`` row by row, the synthetic data generator copies cases in bulk with row
   triggers switched off (``session_replication_role = replica``). So the insert trigger is a statement trigger
   (one INSERT of the words of all the new rows, not one per row) enabled ALWAYS (it fires in replica mode too);
   the update trigger fires only when a case's names change. Words are inserted in word order so that two
   transactions adding the same new words cannot deadlock, and are never deleted (a word no case holds any
   more finds nothing: the cases are found by full text).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently, BtreeGinExtension, RemoveIndexConcurrently
from django.db import migrations, models

NAME_WORDS = """
CREATE TABLE casework_name_word (word text PRIMARY KEY);
CREATE INDEX casework_name_word_trgm ON casework_name_word USING gist (word gist_trgm_ops);

CREATE FUNCTION casework_name_words_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO casework_name_word (word)
    SELECT DISTINCT w.lexeme FROM new_cases c, unnest(to_tsvector('simple', c.search_names)) w
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION casework_name_words_of_changed_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO casework_name_word (word)
    SELECT DISTINCT w.lexeme FROM unnest(to_tsvector('simple', NEW.search_names)) w
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER casework_case_name_words_insert AFTER INSERT ON casework_case
    REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION casework_name_words_of_new_cases();
ALTER TABLE casework_case ENABLE ALWAYS TRIGGER casework_case_name_words_insert;

CREATE TRIGGER casework_case_name_words_update AFTER UPDATE OF search_names ON casework_case
    FOR EACH ROW WHEN (OLD.search_names IS DISTINCT FROM NEW.search_names)
    EXECUTE FUNCTION casework_name_words_of_changed_case();

INSERT INTO casework_name_word (word)
SELECT DISTINCT w.lexeme FROM casework_case c, unnest(to_tsvector('simple', c.search_names)) w
ORDER BY 1
ON CONFLICT DO NOTHING;
"""

NO_NAME_WORDS = """
DROP TRIGGER IF EXISTS casework_case_name_words_update ON casework_case;
DROP TRIGGER IF EXISTS casework_case_name_words_insert ON casework_case;
DROP FUNCTION IF EXISTS casework_name_words_of_changed_case();
DROP FUNCTION IF EXISTS casework_name_words_of_new_cases();
DROP TABLE IF EXISTS casework_name_word;
"""


class Migration(migrations.Migration):
    # The indexes are built without blocking writes: the case table holds millions of rows in service.
    atomic = False

    dependencies = [
        ("casework", "0006_deadline_met_at"),
    ]

    operations = [
        BtreeGinExtension(),
        AddIndexConcurrently(
            model_name="case",
            index=GinIndex(fields=["force", "search_vector"], name="case_force_search_idx"),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=GinIndex(
                fields=["cps_area", "search_vector"],
                name="case_area_search_idx",
                condition=models.Q(("sent_to_cps_at__isnull", False)),
            ),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=GinIndex(
                fields=["search_vector"],
                name="case_cpsd_search_idx",
                condition=models.Q(("sent_to_cps_direct", True)),
            ),
        ),
        RemoveIndexConcurrently(model_name="case", name="case_search_idx"),
        RemoveIndexConcurrently(model_name="case", name="case_names_trgm"),
        migrations.RunSQL(NAME_WORDS, NO_NAME_WORDS),
    ]
