-- 0003: the OMiC handover (DOMAIN.md section 7: sentence_type, sentence_start, ped,
-- early_allocation, recall, pom) and the rest of release-day readiness (section 8: appointment,
-- appointment_place, licence, id_documents, bank_account, benefits), fields 26 to 37 of
-- domain::case::COLUMNS. As in 0002, the version trigger's comparison and the audit function's
-- list of fields are redefined to see them (yes/no as the SQLite engine writes a flag; the
-- appointment as its text, `YYYY-MM-DD HH:MM` or a kind; the check-in after the fields).

ALTER TABLE cases ADD COLUMN sentence_type text;
ALTER TABLE cases ADD COLUMN sentence_start date;
ALTER TABLE cases ADD COLUMN ped date;
ALTER TABLE cases ADD COLUMN early_allocation boolean;
ALTER TABLE cases ADD COLUMN recall boolean;
ALTER TABLE cases ADD COLUMN pom text;
ALTER TABLE cases ADD COLUMN appointment text;
ALTER TABLE cases ADD COLUMN appointment_place text;
ALTER TABLE cases ADD COLUMN licence text;
ALTER TABLE cases ADD COLUMN id_documents boolean;
ALTER TABLE cases ADD COLUMN bank_account boolean;
ALTER TABLE cases ADD COLUMN benefits boolean;

DROP TRIGGER releaseday_versioned ON cases;
CREATE TRIGGER releaseday_versioned BEFORE UPDATE ON cases FOR EACH ROW
    WHEN ((OLD.name, OLD.noms, OLD.prison, OLD.officer, OLD.team, OLD.rosh, OLD.mappa,
           OLD.release_date, OLD.release_type, OLD.accommodation, OLD.dtr,
           OLD.dtr_date, OLD.crs, OLD.cas3, OLD.ap, OLD.ap_required, OLD.cas2,
           OLD.friday_release, OLD.confirmed_day, OLD.notes, OLD.crs_date,
           OLD.cas3_date, OLD.ap_date, OLD.cas2_date, OLD.gp, OLD.sentence_type,
           OLD.sentence_start, OLD.ped, OLD.early_allocation, OLD.recall, OLD.pom,
           OLD.appointment, OLD.appointment_place, OLD.licence, OLD.id_documents,
           OLD.bank_account, OLD.benefits, OLD.reported_at, OLD.crn, OLD.created_at)
          IS DISTINCT FROM
          (NEW.name, NEW.noms, NEW.prison, NEW.officer, NEW.team, NEW.rosh, NEW.mappa,
           NEW.release_date, NEW.release_type, NEW.accommodation, NEW.dtr,
           NEW.dtr_date, NEW.crs, NEW.cas3, NEW.ap, NEW.ap_required, NEW.cas2,
           NEW.friday_release, NEW.confirmed_day, NEW.notes, NEW.crs_date,
           NEW.cas3_date, NEW.ap_date, NEW.cas2_date, NEW.gp, NEW.sentence_type,
           NEW.sentence_start, NEW.ped, NEW.early_allocation, NEW.recall, NEW.pom,
           NEW.appointment, NEW.appointment_place, NEW.licence, NEW.id_documents,
           NEW.bank_account, NEW.benefits, NEW.reported_at, NEW.crn, NEW.created_at))
    EXECUTE FUNCTION releaseday_case_changed();

CREATE OR REPLACE FUNCTION releaseday_audit_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp SET jit = off SET datestyle = 'ISO, YMD' SET work_mem = '64MB'
AS $$
DECLARE
    src text := public.releaseday_source();
BEGIN
    INSERT INTO public.audit (at, who, crn, field, old, new, source)
    SELECT now(), session_user, n.crn, f.field, f.old, f.new, src
    FROM (SELECT *, row_number() OVER () AS seq FROM after_update) n
    JOIN before_update o ON o.crn = n.crn
    CROSS JOIN LATERAL (VALUES
        (1, 'name', o.name, n.name),
        (2, 'noms', o.noms, n.noms),
        (3, 'prison', o.prison, n.prison),
        (4, 'officer', o.officer, n.officer),
        (5, 'team', o.team, n.team),
        (6, 'rosh', o.rosh, n.rosh),
        (7, 'mappa', o.mappa::text, n.mappa::text),
        (8, 'release_date', o.release_date::text, n.release_date::text),
        (9, 'release_type', o.release_type, n.release_type),
        (10, 'accommodation', o.accommodation, n.accommodation),
        (11, 'dtr', o.dtr, n.dtr),
        (12, 'dtr_date', o.dtr_date::text, n.dtr_date::text),
        (13, 'crs', o.crs, n.crs),
        (14, 'cas3', o.cas3, n.cas3),
        (15, 'ap', o.ap, n.ap),
        (16, 'ap_required',
            CASE o.ap_required WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.ap_required WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (17, 'cas2', o.cas2, n.cas2),
        (18, 'friday_release', o.friday_release, n.friday_release),
        (19, 'confirmed_day', o.confirmed_day::text, n.confirmed_day::text),
        (20, 'notes', o.notes, n.notes),
        (21, 'crs_date', o.crs_date::text, n.crs_date::text),
        (22, 'cas3_date', o.cas3_date::text, n.cas3_date::text),
        (23, 'ap_date', o.ap_date::text, n.ap_date::text),
        (24, 'cas2_date', o.cas2_date::text, n.cas2_date::text),
        (25, 'gp',
            CASE o.gp WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.gp WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (26, 'sentence_type', o.sentence_type, n.sentence_type),
        (27, 'sentence_start', o.sentence_start::text, n.sentence_start::text),
        (28, 'ped', o.ped::text, n.ped::text),
        (29, 'early_allocation',
            CASE o.early_allocation WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.early_allocation WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (30, 'recall',
            CASE o.recall WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.recall WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (31, 'pom', o.pom, n.pom),
        (32, 'appointment', o.appointment, n.appointment),
        (33, 'appointment_place', o.appointment_place, n.appointment_place),
        (34, 'licence', o.licence, n.licence),
        (35, 'id_documents',
            CASE o.id_documents WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.id_documents WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (36, 'bank_account',
            CASE o.bank_account WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.bank_account WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (37, 'benefits',
            CASE o.benefits WHEN true THEN 'yes' WHEN false THEN 'no' END,
            CASE n.benefits WHEN true THEN 'yes' WHEN false THEN 'no' END),
        (38, 'reported',
            CASE WHEN o.reported_at IS DISTINCT FROM n.reported_at
                 THEN public.releaseday_time_text(o.reported_at) END,
            CASE WHEN o.reported_at IS DISTINCT FROM n.reported_at
                 THEN public.releaseday_time_text(n.reported_at) END)
    ) AS f (ord, field, old, new)
    WHERE (o.name, o.noms, o.prison, o.officer, o.team, o.rosh, o.mappa,
           o.release_date, o.release_type, o.accommodation, o.dtr, o.dtr_date, o.crs,
           o.cas3, o.ap, o.ap_required, o.cas2, o.friday_release, o.confirmed_day,
           o.notes, o.crs_date, o.cas3_date, o.ap_date, o.cas2_date, o.gp,
           o.sentence_type, o.sentence_start, o.ped, o.early_allocation, o.recall,
           o.pom, o.appointment, o.appointment_place, o.licence, o.id_documents,
           o.bank_account, o.benefits, o.reported_at)
          IS DISTINCT FROM
          (n.name, n.noms, n.prison, n.officer, n.team, n.rosh, n.mappa,
           n.release_date, n.release_type, n.accommodation, n.dtr, n.dtr_date, n.crs,
           n.cas3, n.ap, n.ap_required, n.cas2, n.friday_release, n.confirmed_day,
           n.notes, n.crs_date, n.cas3_date, n.ap_date, n.cas2_date, n.gp,
           n.sentence_type, n.sentence_start, n.ped, n.early_allocation, n.recall,
           n.pom, n.appointment, n.appointment_place, n.licence, n.id_documents,
           n.bank_account, n.benefits, n.reported_at)
      AND f.old IS DISTINCT FROM f.new
    ORDER BY n.seq, f.ord;
    RETURN NULL;
END
$$;
