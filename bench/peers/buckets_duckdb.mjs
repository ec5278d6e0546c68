// The gpulse buckets in DuckDB SQL (a bench peer).
//
//   node buckets_duckdb.mjs SEGMENTS(.ndjson|.csv) ROSTER.csv OUT.csv
//
// Same semantics as buckets_pandas.py and as
// gdedupe | gshift | goccupy | gbucket --roster: duplicates dropped on
// (user_id, start, routing_status, presence), time per routing status over
// the whole window, occupancy and NRT rate, insufficient_sample (< 40 h on
// queue or no interacting and idle time), ramp_up (14 days from returned_on's
// local midnight, ICU time zones), small_cohort (pool < 4), then
// quantile_cont (linear interpolation between closest ranks) at 25 and 75.
import { DuckDBInstance } from '@duckdb/node-api';

const [segments, roster, out] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const source = segments.endsWith('.csv')
  ? `read_csv(${quote(segments)}, header = true, all_varchar = true)`
  : `read_json(${quote(segments)}, format = 'newline_delimited', columns = {
        user_id: 'VARCHAR', routing_status: 'VARCHAR', presence: 'VARCHAR',
        start: 'VARCHAR', "end": 'VARCHAR'})`;

const sql = `
COPY (
WITH seg AS (
    SELECT user_id, routing_status, presence, start, "end" FROM ${source}
), dedup AS (
    SELECT user_id, routing_status,
           epoch_ms(start::TIMESTAMPTZ) AS s_ms,
           epoch_ms(min("end")::TIMESTAMPTZ) AS e_ms
    FROM seg GROUP BY user_id, start, routing_status, presence
), totals AS (
    SELECT user_id,
           sum(CASE WHEN routing_status = 'INTERACTING' THEN e_ms - s_ms ELSE 0 END) AS i,
           sum(CASE WHEN routing_status = 'IDLE' THEN e_ms - s_ms ELSE 0 END) AS idle,
           sum(CASE WHEN routing_status = 'NOT_RESPONDING' THEN e_ms - s_ms ELSE 0 END) AS nr,
           sum(CASE WHEN routing_status = 'COMMUNICATING' THEN e_ms - s_ms ELSE 0 END) AS comm,
           min(s_ms) AS first, max(e_ms) AS last
    FROM dedup GROUP BY user_id
), roster_rows AS (
    SELECT * FROM read_csv(${quote(roster)}, header = true, all_varchar = true)
), roles AS (
    SELECT user_id, string_agg(DISTINCT role, '+' ORDER BY role) AS cohort
    FROM (SELECT user_id, trim(unnest(string_split(coalesce(role, ''), '+'))) AS role FROM roster_rows)
    WHERE role <> '' GROUP BY user_id
), agents AS (
    SELECT user_id, max(nullif(tz, '')) AS tz, max(nullif(returned_on, ''))::DATE AS returned_on
    FROM roster_rows GROUP BY user_id
), rows AS (
    SELECT t.*, coalesce(r.cohort, '') AS cohort, coalesce(a.tz, 'UTC') AS tz, a.returned_on,
           i + idle + nr + comm AS on_queue,
           CASE WHEN i + idle > 0 THEN i::DOUBLE / (i + idle) END AS occ,
           CASE WHEN i + idle + nr > 0 THEN nr::DOUBLE / (i + idle + nr) END AS nrt
    FROM totals t LEFT JOIN roles r USING (user_id) LEFT JOIN agents a USING (user_id)
), labelled AS (
    SELECT *,
           CASE WHEN on_queue < 40 * 3600 * 1000 OR i + idle = 0 THEN 'insufficient_sample'
                WHEN returned_on IS NOT NULL
                 AND first < epoch_ms(timezone(tz, (returned_on + 14)::TIMESTAMP))
                 AND last > epoch_ms(timezone(tz, returned_on::TIMESTAMP)) THEN 'ramp_up'
           END AS excluded
    FROM rows
), cuts AS (
    SELECT cohort, count(*) AS pool,
           quantile_cont(occ, 0.25) AS occ_low, quantile_cont(occ, 0.75) AS occ_high,
           quantile_cont(nrt, 0.25) AS nrt_low, quantile_cont(nrt, 0.75) AS nrt_high
    FROM labelled WHERE excluded IS NULL GROUP BY cohort
)
SELECT user_id,
       coalesce(excluded,
                CASE WHEN pool < 4 THEN 'small_cohort'
                     WHEN occ < occ_low OR nrt > nrt_high THEN 'poor'
                     WHEN occ > occ_high AND nrt < nrt_low THEN 'good'
                     ELSE 'average' END) AS bucket
FROM labelled LEFT JOIN cuts USING (cohort)
ORDER BY user_id
) TO ${quote(out)} (HEADER, DELIMITER ',')`;

const db = await DuckDBInstance.create(':memory:');
const connection = await db.connect();
await connection.run(sql);
