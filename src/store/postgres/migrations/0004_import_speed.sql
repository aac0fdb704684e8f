-- 0004: a faster import (issue 13's benchmark: 100,000 rows within twice `psql \copy`), as the
-- SQLite file's migration 5 made its own.
--
-- No query reads cases by officer or by prison alone: the `--officer` and `--prison` filters,
-- and the screens', narrow a window read through the day index, in memory. Yet every case
-- written kept both indexes up.
DROP INDEX IF EXISTS cases_by_officer;
DROP INDEX IF EXISTS cases_by_prison;

-- An import says once, in one audit row, that it created its new cases: when, by whom, from
-- which file, how many (`new`: "N cases", crn NULL). Each case names that row in `created_by`,
-- and its history shows it as the case's own "created" row. A row per case was another table
-- row and two index entries per case: about a third of an import's time at 100,000 cases.
-- NULL: the case's own "created" row is in the audit log under its CRN (a case added one at a
-- time, a copied or older case), written by the trigger as before.
ALTER TABLE cases ADD COLUMN created_by bigint;

-- The import's row, written as the owner for the signed-in role, before its cases go in; `new`
-- stays empty until the statement that inserts them fills it (releaseday_audit_created, below).
CREATE FUNCTION releaseday_import_created() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO public.audit (at, who, crn, field, source)
    VALUES (now(), session_user, NULL, 'created', public.releaseday_source())
    RETURNING id
$$;

-- A "created" row per new case that names no import's row, in the order the statement inserted
-- them; and for the cases that name one, that row completed with how many. A case may name only
-- a row releaseday_import_created wrote for the same role and no statement has used yet: one
-- written in this transaction (the constraint trigger below leaves no unused row committed), so
-- an officer cannot borrow another import's row, or an older one of their own, to give a case a
-- history it does not have. Once named, `created_by` never changes (the trigger after this).
CREATE OR REPLACE FUNCTION releaseday_audit_created() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    src text := public.releaseday_source();
    named record;
BEGIN
    INSERT INTO public.audit (at, who, crn, field, source)
    SELECT now(), session_user, n.crn, 'created', src
    FROM created n WHERE n.created_by IS NULL;
    FOR named IN
        SELECT n.created_by AS id, count(*) AS cases
        FROM created n WHERE n.created_by IS NOT NULL GROUP BY n.created_by
    LOOP
        UPDATE public.audit a
        SET new = named.cases || CASE WHEN named.cases = 1 THEN ' case' ELSE ' cases' END
        WHERE a.id = named.id AND a.field = 'created' AND a.crn IS NULL AND a.new IS NULL
          AND a.who = session_user;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'a new case may name only the "created" row its own import has just written'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION releaseday_created_by_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit row that created a case cannot be changed'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- Fires only for an UPDATE that names the column, so an import's rewrite pays nothing for it.
CREATE TRIGGER releaseday_created_by_fixed BEFORE UPDATE OF created_by ON cases FOR EACH ROW
    WHEN (OLD.created_by IS DISTINCT FROM NEW.created_by)
    EXECUTE FUNCTION releaseday_created_by_fixed();

-- At commit, an import's "created" row must say how many cases it created: a row written by
-- releaseday_import_created and never named by a case is refused, transaction and all.
CREATE FUNCTION releaseday_import_created_used() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.audit a WHERE a.id = NEW.id AND a.new IS NULL) THEN
        RAISE EXCEPTION 'an import''s "created" row names no case it created'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER releaseday_import_created_used AFTER INSERT ON audit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.field = 'created' AND NEW.crn IS NULL)
    EXECUTE FUNCTION releaseday_import_created_used();

REVOKE ALL ON FUNCTION releaseday_import_created(), releaseday_created_by_fixed(),
    releaseday_import_created_used() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION releaseday_import_created() TO releaseday_officer;
