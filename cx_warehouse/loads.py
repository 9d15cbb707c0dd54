"""Cut a full landing folder into daily loads (docs/raw_source_contract.md, "Full extracts and
daily loads").

    split_into_daily_loads(raw_dir, out_dir, late_fraction=0.0, seed=42, first_load=None)

writes ``out_dir/loads/<YYYY-MM-DD>/<table>.<ext>`` with the same file names and formats as the
full extract, plus an ``_extract.json`` per load whose ``extracted_at`` is the end of that day
(UTC) and the cumulative ``erasure_requests.csv`` (the requests made up to that day). Which day a
row belongs to:

- receipts: the UTC date of ``transaction_at``; receipt items: their receipt's load;
- tickets: ``updated_at`` (a ticket row is its state as of its last change, so it arrives
  that day); ticket interactions: ``interaction_at``; chats: their start; emails:
  ``received_at``; customers, companies, agents: ``created_at``, ``contract_start_date``,
  ``hired_at``; stores, products and the CRM file: the first load;
- a date before the first load (or none, or unreadable) is the first load, a date after the
  window's last day the last load;
- a row never arrives before the rows it refers to (a customer before its company, a ticket
  before its customer, company and agent, an interaction before its ticket, a receipt before
  its customer, a line with its receipt), because staging checks a row against the rows
  stored when it arrives.

``late_fraction`` plants late data deterministically (from ``seed`` and the row's key): that
share of receipts (with their lines), ticket interactions, chats and emails arrive 1 to 3 days
after their date (never after the last day). ``first_load`` puts everything up to that day into
one first load (a history load), the way a warehouse is usually started.

Each table is one DuckDB ``COPY ... PARTITION_BY`` (bounded memory, spills to disk), ordered by
load and then by the row's position in the full file, so a load keeps the full file's order;
the chat JSON Lines are streamed line by line, so a broken line stays byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import duckdb

PARQUET_TABLES = ("companies", "customers", "agents", "tickets", "ticket_interactions",
                  "stores", "products", "receipts", "receipt_items", "incoming_customers")
LATE_TABLES = ("receipts", "ticket_interactions", "chats", "emails")
MAX_LATE_DAYS = 3


class SplitError(ValueError):
    """A landing folder that cannot be split; str() is the one-line reason and fix."""


def _late_days(key_sql: str, seed: int, late_fraction: float) -> str:
    """SQL: 0, or 1..MAX_LATE_DAYS for the planted late rows (a hash of seed and key)."""
    if late_fraction <= 0:
        return "0"
    threshold = int(round(late_fraction * 1_000_000))
    hashed = f"hash('{seed}:' || coalesce(cast({key_sql} as varchar), ''))"
    return (f"case when {hashed} % 1000000 < {threshold} "
            f"then 1 + cast(({hashed} // 1000000) % {MAX_LATE_DAYS} as integer) else 0 end")


def _utc_date(expr: str) -> str:
    return f"cast(timezone('UTC', try_cast({expr} as timestamptz)) as date)"


def split_into_daily_loads(raw_dir: Path | str, out_dir: Path | str, *, late_fraction: float = 0.0,
                           seed: int = 42, first_load: dt.date | str | None = None) -> list[str]:
    """Write the daily loads of the full extract in raw_dir into out_dir/loads; returns the
    load dates written, oldest first."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not 0 <= late_fraction < 1:
        raise SplitError(f"late_fraction {late_fraction!r} must be at least 0 and below 1")
    try:
        extract = json.loads((raw_dir / "_extract.json").read_text())
        window_start = dt.date.fromisoformat(str(extract["window_start"]))
        window_end = dt.date.fromisoformat(str(extract["window_end"]))
    except (OSError, ValueError, KeyError) as error:
        raise SplitError(f"{raw_dir / '_extract.json'}: needs window_start and window_end "
                         f"(ISO dates) to split the extract into days ({error})") from None
    first = dt.date.fromisoformat(str(first_load)) if first_load else window_start
    if not window_start <= first <= window_end:
        raise SplitError(f"first_load {first} is outside the extract window "
                         f"{window_start}..{window_end}")
    loads_dir = out_dir / "loads"
    if loads_dir.exists():
        raise SplitError(f"{loads_dir} exists already; remove it or choose another folder")
    loads_dir.mkdir(parents=True)
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set preserve_insertion_order = true")
        return _split(con, raw_dir, loads_dir, extract, first, window_end, late_fraction, seed)
    finally:
        con.close()


def _split(con, raw_dir: Path, loads_dir: Path, extract: dict, first: dt.date,
           last: dt.date, late_fraction: float, seed: int) -> list[str]:
    def parquet(table: str) -> str:
        return f"read_parquet('{raw_dir / table}.parquet', file_row_number = true)"

    def clamp(expr: str) -> str:
        return (f"least(greatest(coalesce({expr}, date '{first}'), date '{first}'), "
                f"date '{last}')")

    # The load of every key that other tables refer to (the earliest of its rows).
    con.execute(f"""create temp table company_loads as
        select company_id, min({clamp('try_cast(contract_start_date as date)')}) as load_date
        from {parquet('companies')} group by company_id""")
    con.execute(f"""create temp table customer_loads as
        select customers.customer_id, min(greatest(
            {clamp('cast(try_cast(customers.created_at as timestamp) as date)')},
            coalesce(company_loads.load_date, date '{first}'))) as load_date
        from {parquet('customers')} as customers
        left join company_loads using (company_id) group by customers.customer_id""")
    con.execute(f"""create temp table agent_loads as
        select agent_id, min({clamp('cast(try_cast(hired_at as timestamp) as date)')})
            as load_date
        from {parquet('agents')} group by agent_id""")
    con.execute(f"""create temp table ticket_loads as
        select tickets.ticket_id, min(greatest(
            {clamp('cast(try_cast(tickets.created_at as timestamp) as date)')},
            {clamp('cast(try_cast(tickets.updated_at as timestamp) as date)')},
            coalesce(customer_loads.load_date, date '{first}'),
            coalesce(company_loads.load_date, date '{first}'),
            coalesce(agent_loads.load_date, date '{first}'))) as load_date
        from {parquet('tickets')} as tickets
        left join customer_loads using (customer_id)
        left join company_loads using (company_id)
        left join agent_loads using (agent_id) group by tickets.ticket_id""")
    late = _late_days("receipts.receipt_id", seed, late_fraction)
    con.execute(f"""create temp table receipt_loads as
        select receipts.receipt_id, min(least(greatest(
            {clamp(_utc_date('receipts.transaction_at'))},
            coalesce(customer_loads.load_date, date '{first}'))
            + cast({late} as integer), date '{last}')) as load_date
        from {parquet('receipts')} as receipts
        left join customer_loads using (customer_id) group by receipts.receipt_id""")

    first_only = f"date '{first}'"
    load_of = {
        "companies": ("company_loads.load_date", "left join company_loads using (company_id)"),
        "customers": ("customer_loads.load_date",
                      "left join customer_loads using (customer_id)"),
        "agents": ("agent_loads.load_date", "left join agent_loads using (agent_id)"),
        "tickets": ("ticket_loads.load_date", "left join ticket_loads using (ticket_id)"),
        "ticket_interactions": (
            f"least(greatest({clamp('cast(try_cast(rows.interaction_at as timestamp) as date)')}, "
            f"coalesce(ticket_loads.load_date, {first_only})) + cast("
            f"{_late_days('rows.interaction_id', seed, late_fraction)} as integer), "
            f"date '{last}')",
            "left join ticket_loads using (ticket_id)"),
        "stores": (first_only, ""),
        "products": (first_only, ""),
        "incoming_customers": (first_only, ""),
        "receipts": ("receipt_loads.load_date", "left join receipt_loads using (receipt_id)"),
        "receipt_items": (f"coalesce(receipt_loads.load_date, {first_only})",
                          "left join receipt_loads using (receipt_id)"),
    }
    dates: set[str] = set()
    for table in PARQUET_TABLES:
        expr, join = load_of[table]
        columns = [row[0] for row in con.execute(
            f"describe select * from read_parquet('{raw_dir / table}.parquet')").fetchall()]
        selected = ", ".join(f'rows."{column}"' for column in columns)
        # A row without a usable key or date (a dirty row) goes by its own date, else first.
        query = (f"select {selected}, strftime(coalesce({expr}, {first_only}), '%Y-%m-%d') "
                 f"as load_date "
                 f"from {parquet(table)} as rows {join} "
                 f"order by load_date, rows.file_row_number")
        dates |= _copy_partitioned(con, query, loads_dir, table, "parquet",
                                   "format parquet, compression zstd")

    # Emails: CSV in the source's dialect (comma, double quotes, header).
    late = _late_days("rows.email_id", seed, late_fraction)
    emails = (f"read_csv('{raw_dir}/emails.csv', delim = ',', quote = '\"', escape = '\"', "
              f"header = true, all_varchar = true, max_line_size = 104857600)")
    columns = [row[0] for row in con.execute(f"describe select * from {emails}").fetchall()]
    selected = ", ".join(f'rows."{column}"' for column in columns)
    query = (f"select {selected}, strftime(least({clamp(_utc_date('rows.received_at'))} "
             f"+ cast({late} as integer), date '{last}'), '%Y-%m-%d') as load_date "
             f"from {emails} with ordinality as rows order by load_date, rows.ordinality")
    dates |= _copy_partitioned(con, query, loads_dir, "emails", "csv",
                               "format csv, header true, quote '\"', escape '\"'")

    dates |= _split_chats(raw_dir / "chats.jsonl", loads_dir, first, last, late_fraction, seed)

    ordered = sorted(dates | {first.isoformat()})
    _write_erasure_requests(con, raw_dir, loads_dir, ordered, first)
    for day in ordered:
        manifest = {**extract, "extracted_at": f"{day}T23:59:59Z",
                    "window_start": (extract["window_start"] if day == ordered[0] else day),
                    "window_end": day}
        (loads_dir / day / "_extract.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return ordered


def _copy_partitioned(con, query: str, loads_dir: Path, table: str, extension: str,
                      options: str) -> set[str]:
    """One COPY of the query partitioned by its load_date column, then each partition's file
    renamed to loads/<date>/<table>.<extension>."""
    scratch = Path(tempfile.mkdtemp(prefix=f".{table}-", dir=loads_dir))
    try:
        con.execute(f"copy ({query}) to '{scratch}' ({options}, partition_by (load_date), "
                    f"write_partition_columns false, overwrite_or_ignore true)")
        dates = set()
        for folder in sorted(scratch.glob("load_date=*")):
            day = folder.name.split("=", 1)[1]
            files = sorted(folder.iterdir())
            if len(files) != 1:
                raise SplitError(f"{table}: expected one file for {day}, DuckDB wrote "
                                 f"{len(files)}")
            target = loads_dir / day / f"{table}.{extension}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(files[0]), target)
            dates.add(day)
        return dates
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _chat_date(line: str) -> dt.date | None:
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            return None
        if record.get("schema_version") == 2:
            started = (record.get("meta") or {}).get("start_ts")
            return dt.datetime.fromtimestamp(int(started) / 1000, dt.timezone.utc).date()
        started = dt.datetime.fromisoformat(str(record.get("started_at")).replace("Z", "+00:00"))
        if started.tzinfo is not None:
            started = started.astimezone(dt.timezone.utc)
        return started.date()
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def _split_chats(path: Path, loads_dir: Path, first: dt.date, last: dt.date,
                 late_fraction: float, seed: int) -> set[str]:
    """Stream chats.jsonl line by line into loads/<date>/chats.jsonl (lines kept as written)."""
    import hashlib

    handles: dict[str, object] = {}
    threshold = int(round(late_fraction * 1_000_000))
    try:
        with open(path, "rb") as source:
            for raw in source:
                line = raw.decode("utf-8", "replace")
                day = _chat_date(line) or first
                day = min(max(day, first), last)
                if threshold:
                    digest = int.from_bytes(hashlib.sha256(
                        f"{seed}:".encode() + raw.rstrip(b"\r\n")).digest()[:8], "big")
                    if digest % 1_000_000 < threshold:
                        day = min(day + dt.timedelta(days=1 + (digest // 1_000_000)
                                                     % MAX_LATE_DAYS), last)
                key = day.isoformat()
                if key not in handles:
                    (loads_dir / key).mkdir(parents=True, exist_ok=True)
                    handles[key] = open(loads_dir / key / "chats.jsonl", "wb")
                handles[key].write(raw)  # type: ignore[attr-defined]
    finally:
        for handle in handles.values():
            handle.close()  # type: ignore[attr-defined]
    return set(handles)


def _write_erasure_requests(con, raw_dir: Path, loads_dir: Path, days: list[str],
                            first: dt.date) -> None:
    """The cumulative request log: each load carries the requests made up to its day."""
    path = raw_dir / "erasure_requests.csv"
    if not path.exists():
        return
    header = path.read_text(encoding="utf-8").splitlines()[0]
    requests = con.execute(
        f"select *, coalesce({_utc_date('requested_at')}, date '{first}') as request_date "
        f"from read_csv('{path}', header = true, all_varchar = true) with ordinality "
        f"order by ordinality").fetchall() if path.stat().st_size > len(header) + 1 else []
    columns = [c.strip().strip('"') for c in header.split(",")]
    for day in days:
        lines = [header]
        for row in requests:
            if row[-1].isoformat() <= day:
                lines.append(",".join(_csv_field(value) for value in row[:len(columns)]))
        (loads_dir / day / "erasure_requests.csv").write_text("\n".join(lines) + "\n")


def _csv_field(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return '"' + text.replace('"', '""') + '"'
