-- merge_undecided.sql: a lake written before open cases were partitioned by the year of their
-- submission holds them in one partition, undecided: it is rewritten into those of their years,
-- once. Only then is it run: looking for that partition among the published files took 8 ms of
-- every nightly run.
INSERT INTO touched_case_parts
SELECT DISTINCT unnest([decided_quarter, sc_case_part_text(NULL::DATE, submitted_date)])
FROM published_case_parts
WHERE decided_quarter = 'undecided'
EXCEPT
SELECT part FROM touched_case_parts;
