-- previous_outputs_none.sql: nothing published before, so nothing is restated.
CREATE OR REPLACE TEMP TABLE previous_scorecard AS SELECT * FROM scorecard WHERE false;
CREATE OR REPLACE TEMP TABLE previous_results AS SELECT * FROM case_results WHERE false;
