#!/usr/bin/python3
"""The write-up's pandas approach to the gpulse buckets (a bench peer).

    buckets_pandas.py SEGMENTS(.ndjson|.csv) ROSTER.csv OUT.csv

Loads every segment into one DataFrame, drops duplicates, sums time per
agent and routing status over the whole window, derives occupancy and NRT
rate, and buckets each agent against its cohort's 25th/75th percentiles
(pandas' default linear quantile), with the same edge cases as gbucket:
insufficient_sample (< 40 h on queue, or no interacting and no idle time),
ramp_up (window overlaps 14 days from returned_on's local midnight),
small_cohort (pool < 4).  Writes user_id,bucket sorted by user_id.
"""
import sys

import numpy as np
import pandas as pd

LOW, HIGH, MIN_HOURS, RAMP_DAYS, MIN_POOL = 0.25, 0.75, 40, 14, 4
KEY = ["user_id", "start", "routing_status", "presence"]


def load_segments(path):
    if path.endswith(".csv"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    else:
        df = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    for col in ("routing_status", "presence"):
        if col not in df:
            df[col] = None
    df = df.drop_duplicates(subset=KEY)
    df["start_ms"] = pd.to_datetime(df["start"], utc=True).astype("int64") // 1_000_000
    df["end_ms"] = pd.to_datetime(df["end"], utc=True).astype("int64") // 1_000_000
    df["ms"] = df["end_ms"] - df["start_ms"]
    return df


def agent_totals(df):
    routing = df[df["routing_status"].notna()]
    sums = routing.pivot_table(index="user_id", columns="routing_status", values="ms",
                               aggfunc="sum", fill_value=0)
    for status in ("INTERACTING", "IDLE", "NOT_RESPONDING", "COMMUNICATING"):
        if status not in sums:
            sums[status] = 0
    span = df.groupby("user_id").agg(first=("start_ms", "min"), last=("end_ms", "max"))
    t = span.join(sums, how="left").fillna(0)
    i, idle, nrt, comm = t["INTERACTING"], t["IDLE"], t["NOT_RESPONDING"], t["COMMUNICATING"]
    t["on_queue"] = i + idle + nrt + comm
    t["occupancy"] = (i / (i + idle)).where(i + idle > 0)
    t["nrt_rate"] = (nrt / (i + idle + nrt)).where(i + idle + nrt > 0)
    t["no_work"] = (i + idle) == 0
    return t


def load_roster(path):
    r = pd.read_csv(path, dtype=str, keep_default_na=False)
    r["role"] = r.get("role", "")
    roles = r.groupby("user_id")["role"].agg(
        lambda v: "+".join(sorted({p.strip() for x in v for p in x.split("+") if p.strip()})))
    tz = r.groupby("user_id")["tz"].agg(lambda v: next((x for x in v if x), "UTC"))
    back = r.groupby("user_id")["returned_on"].agg(lambda v: max((x for x in v if x), default=""))
    return pd.DataFrame({"cohort": roles, "tz": tz, "returned_on": back})


def local_midnight_ms(day, zone):
    return pd.Timestamp(day).tz_localize(zone).value // 1_000_000


def ramp_up(row):
    if not row["returned_on"]:
        return False
    day = pd.Timestamp(row["returned_on"])
    lo = local_midnight_ms(day, row["tz"])
    hi = local_midnight_ms(day + pd.Timedelta(days=RAMP_DAYS), row["tz"])
    return row["first"] < hi and row["last"] > lo


def buckets(t, roster):
    t = t.join(roster, how="left")
    t["cohort"] = t["cohort"].fillna("")
    t["tz"] = t["tz"].fillna("UTC")
    t["returned_on"] = t["returned_on"].fillna("")
    t["bucket"] = None
    insufficient = (t["on_queue"] < MIN_HOURS * 3600 * 1000) | t["no_work"]
    t.loc[insufficient, "bucket"] = "insufficient_sample"
    ramp = ~insufficient & t.apply(ramp_up, axis=1).astype(bool)
    t.loc[ramp, "bucket"] = "ramp_up"
    pool = t[t["bucket"].isna()]
    size = pool.groupby("cohort")["occupancy"].transform("size")
    by_cohort = pool.groupby("cohort")

    def cut(column, q):
        return by_cohort[column].transform(lambda s: s.quantile(q))

    occ_low, occ_high = cut("occupancy", LOW), cut("occupancy", HIGH)
    nrt_low, nrt_high = cut("nrt_rate", LOW), cut("nrt_rate", HIGH)
    occ, nrt = pool["occupancy"], pool["nrt_rate"]
    label = np.where(size < MIN_POOL, "small_cohort",
                     np.where((occ < occ_low) | (nrt > nrt_high), "poor",
                              np.where((occ > occ_high) & (nrt < nrt_low), "good", "average")))
    t.loc[pool.index, "bucket"] = label
    return t


def main():
    seg_path, roster_path, out_path = sys.argv[1:4]
    t = buckets(agent_totals(load_segments(seg_path)), load_roster(roster_path))
    t[["bucket"]].sort_index().to_csv(out_path)


if __name__ == "__main__":
    main()
