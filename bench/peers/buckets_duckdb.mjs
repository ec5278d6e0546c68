// The gpulse buckets in DuckDB SQL (a bench peer), written as an analyst
// who knows DuckDB would write it.
//
//   node buckets_duckdb.mjs SEGMENTS(.ndjson|.csv) ROSTER.csv OUT.csv
//
// Same semantics as buckets_pandas.py and as
// gdedupe | gshift | goccupy | gbucket --roster: duplicates dropped
// (SELECT DISTINCT: the repeats Genesys Cloud gives at interval boundaries
// are whole-record copies); shifts split per user with one window function
// as gshift does (activity = INTERACTING or IDLE; a new shift at an
// activity segment that starts more than 90 minutes after the end of the
// user's previous activity, found with lag() over the user's activity in
// start order, a user's routing statuses never overlapping) and counted
// per agent, as goccupy's "shifts" column; time per routing status over the
// whole window (inside and between shifts, as goccupy's default window
// period), occupancy and NRT rate, insufficient_sample (< 40 h on queue or
// no interacting and idle time), ramp_up (14 days from returned_on's local
// midnight, ICU time zones), small_cohort (pool < 4), then quantile_cont
// (linear interpolation between closest ranks) at 25 and 75.  Writes
// user_id,bucket,shifts by user_id.
//
// Fair to DuckDB: the columns are typed when read (user_id as UUID, a
// 128-bit value that hashes and compares as two integers; start and end as
// TIMESTAMP, parsed by the reader), and DuckDB uses every core (its
// default threads setting; DUCKDB_THREADS overrides it).  This formulation
// (DISTINCT, one lag() window, UUID keys) takes about half the time of the
// first one we wrote (GROUP BY with min(end), a running max and a running
// sum as two windows, VARCHAR keys): see bench/README.md.
import { DuckDBInstance } from '@duckdb/node-api';

const [segments, roster, out] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const columns = `{user_id: 'UUID', routing_status: 'VARCHAR', presence: 'VARCHAR',
                  start: 'TIMESTAMP', "end": 'TIMESTAMP'}`;
const source = segments.endsWith('.csv')
  ? `read_csv(${quote(segments)}, header = true, types = ${columns})`
  : `read_json(${quote(segments)}, format = 'newline_delimited', columns = ${columns})`;
const GAP_MS = 90 * 60 * 1000;
const duration = (status) =>
  `coalesce(sum(epoch_ms("end") - epoch_ms(start)) FILTER (WHERE routing_status = '${status}'), 0)`;

const sql = `
COPY (
WITH dedup AS (
    SELECT DISTINCT user_id, routing_status, presence, start, "end" FROM ${source}
), activity AS (
    SELECT user_id, epoch_ms(start) AS s_ms,
           epoch_ms(lag("end") OVER (PARTITION BY user_id ORDER BY start)) AS previous_end
    FROM dedup WHERE routing_status IN ('INTERACTING', 'IDLE')
), shift_counts AS (
    SELECT user_id,
           count(*) FILTER (WHERE previous_end IS NULL OR s_ms - previous_end > ${GAP_MS}) AS shifts
    FROM activity GROUP BY user_id
), totals AS (
    SELECT user_id,
           ${duration('INTERACTING')} AS i, ${duration('IDLE')} AS idle,
           ${duration('NOT_RESPONDING')} AS nr, ${duration('COMMUNICATING')} AS comm,
           min(epoch_ms(start)) AS first, max(epoch_ms("end")) AS last
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
    SELECT t.*, coalesce(c.shifts, 0) AS shifts, coalesce(r.cohort, '') AS cohort,
           coalesce(a.tz, 'UTC') AS tz, a.returned_on,
           i + idle + nr + comm AS on_queue,
           CASE WHEN i + idle > 0 THEN i::DOUBLE / (i + idle) END AS occ,
           CASE WHEN i + idle + nr > 0 THEN nr::DOUBLE / (i + idle + nr) END AS nrt
    FROM totals t LEFT JOIN shift_counts c USING (user_id)
         LEFT JOIN roles r ON r.user_id = t.user_id::VARCHAR
         LEFT JOIN agents a ON a.user_id = t.user_id::VARCHAR
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
       shifts
FROM labelled LEFT JOIN cuts USING (cohort)
ORDER BY user_id
) TO ${quote(out)} (HEADER, DELIMITER ',')`;

const options = process.env.DUCKDB_THREADS ? { threads: process.env.DUCKDB_THREADS } : {};
const db = await DuckDBInstance.create(':memory:', options);
const connection = await db.connect();
await connection.run(sql);
