// The gpulse buckets in DuckDB SQL (a bench peer), written as an analyst
// who knows DuckDB would write it.
//
//   node buckets_duckdb.mjs SEGMENTS(.ndjson|.csv) ROSTER.csv OUT.csv
//
// Same semantics as buckets_pandas.py and as
// gdedupe | gshift | goccupy | gbucket --roster: duplicates dropped on
// (user_id, start, routing_status, presence); shifts split per user with
// window functions as gshift does (activity = INTERACTING or IDLE; a new
// shift at an activity segment that starts more than 90 minutes after the
// end of the user's previous activity; a span from its first start to its
// last end) and counted per agent, as goccupy's "shifts" column; time per
// routing status over the whole window (inside and between shifts, as
// goccupy's default window period), occupancy and NRT rate,
// insufficient_sample (< 40 h on queue or no interacting and idle time),
// ramp_up (14 days from returned_on's local midnight, ICU time zones),
// small_cohort (pool < 4), then quantile_cont (linear interpolation between
// closest ranks) at 25 and 75.  Writes user_id,bucket,shifts by user_id.
//
// Fair to DuckDB: the columns are typed when read (start and end as
// TIMESTAMP, parsed by the reader), and DuckDB uses every core (its default
// threads setting; DUCKDB_THREADS overrides it).
import { DuckDBInstance } from '@duckdb/node-api';

const [segments, roster, out] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const columns = `{user_id: 'VARCHAR', routing_status: 'VARCHAR', presence: 'VARCHAR',
                  start: 'TIMESTAMP', "end": 'TIMESTAMP'}`;
const source = segments.endsWith('.csv')
  ? `read_csv(${quote(segments)}, header = true, types = ${columns})`
  : `read_json(${quote(segments)}, format = 'newline_delimited', columns = ${columns})`;
const GAP_MS = 90 * 60 * 1000;

const sql = `
COPY (
WITH dedup AS (
    SELECT user_id, routing_status, epoch_ms(start) AS s_ms, epoch_ms(min("end")) AS e_ms
    FROM ${source} GROUP BY user_id, start, routing_status, presence
), activity AS (
    SELECT user_id, s_ms, e_ms,
           max(e_ms) OVER (PARTITION BY user_id ORDER BY s_ms, e_ms
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
    FROM dedup WHERE routing_status IN ('INTERACTING', 'IDLE')
), numbered AS (
    SELECT user_id, s_ms, e_ms,
           sum(CASE WHEN previous_end IS NULL OR s_ms - previous_end > ${GAP_MS} THEN 1 ELSE 0 END)
               OVER (PARTITION BY user_id ORDER BY s_ms, e_ms ROWS UNBOUNDED PRECEDING) AS shift
    FROM activity
), spans AS (
    SELECT user_id, shift, min(s_ms) AS span_start, max(e_ms) AS span_end
    FROM numbered GROUP BY user_id, shift
), shift_counts AS (
    SELECT user_id, count(*) AS shifts FROM spans GROUP BY user_id
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
                     ELSE 'average' END) AS bucket,
       coalesce(shifts, 0) AS shifts
FROM labelled LEFT JOIN cuts USING (cohort) LEFT JOIN shift_counts USING (user_id)
ORDER BY user_id
) TO ${quote(out)} (HEADER, DELIMITER ',')`;

const options = process.env.DUCKDB_THREADS ? { threads: process.env.DUCKDB_THREADS } : {};
const db = await DuckDBInstance.create(':memory:', options);
const connection = await db.connect();
await connection.run(sql);
