#!/usr/bin/env python
"""Match a file of incoming customer records against the built warehouse's customers.

Examples:
  python scripts/match_customers.py --source leads.csv
  python scripts/match_customers.py --source leads.json --top 5 --out leads.matches.csv
  python scripts/match_customers.py --source leads.parquet --format parquet --json

The file holds one incoming record per row (CSV with a header, JSON as an array of objects
or one object per line, or Parquet), with any of the columns: incoming_id (else the row
number), contact_name, first_name, last_name, email, phone, address_line1, city, postal_code,
birth_date (YYYY-MM-DD), national_id (or cpf), company_name. Other columns (address_line2,
state, country, industry, ...) are ignored. No rebuild: the existing customers are read from
the warehouse's restricted.matching_customer_records, the file's records get the same keys
(cx_warehouse.matching.records_from_raw) and the warehouse's own model
(cx_warehouse.matching.score_candidate_pairs) scores them, trained together with the
warehouse's incoming CRM records so that a small file is scored as reliably as a large one.

Prints each record's best candidates (customer_id, match score, tier, per-field evidence) and
writes them to --out (CSV or JSON by its extension; default data/matches/<file>.matches.csv).
No personal data is printed or written: only ids, levels, similarities and weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli, matching  # noqa: E402
from cx_warehouse.lookup import project_var  # noqa: E402

FORMATS = ("csv", "json", "parquet")
ID_COLUMN = "incoming_id"
ALIASES = {"cpf": "national_id", "given_name": "first_name", "surname": "last_name",
           "postcode": "postal_code", "date_of_birth": "birth_date"}
TIERS = {name: float(project_var(f"customer_match_tier_{name}"))
         for name in ("exact", "high", "potential")}
WAREHOUSE_PREFIX = "warehouse:"


class InputError(Exception):
    """A problem with the arguments or the file: one line, naming the fix."""


def default_warehouse() -> Path:
    env = os.environ.get("CX_WAREHOUSE_PATH")
    return Path(env) if env else REPO / "data" / "warehouse.duckdb"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(prog="match_customers.py",
                        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=cli.existing_file, required=True, help="the incoming records file")
    parser.add_argument("--format", choices=FORMATS,
                        help="file format (default: from the extension)")
    parser.add_argument("--warehouse", type=Path,
                        help="DuckDB file (default: $CX_WAREHOUSE_PATH or data/warehouse.duckdb)")
    parser.add_argument("--top", type=cli.integer(minimum=1, maximum=100, example=3), default=3,
                        help="candidates shown per record (default 3)")
    parser.add_argument("--out", type=Path,
                        help="where the matches go, .csv or .json (default "
                             "data/matches/<file>.matches.csv)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _format(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("jsonl", "ndjson"):
        return "json"
    if suffix in FORMATS:
        return suffix
    raise InputError(f"--source {path}: cannot tell the format from the extension "
                     f"{path.suffix or '(none)'}; pass --format csv, json or parquet")


def _text(value: object, row: int, column: str) -> str | None:
    """A cell as text: None for empty / NaN; nested values and infinities are errors."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise InputError(f"row {row}: column {column} is {value}; give a text or number")
        return f"{value:.0f}" if value.is_integer() else str(value)
    if isinstance(value, (dict, list)):
        raise InputError(f"row {row}: column {column} holds a nested value; give plain text")
    text = str(value).strip()
    return text or None


def read_records(path: Path, file_format: str):
    """The file as a table of text columns (RAW_COLUMNS that it has, plus incoming_id)."""
    import pyarrow as pa

    if not path.exists():
        raise InputError(f"--source {path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"--source {path}: the file is empty")
    rows: list[dict]
    try:
        if file_format == "parquet":
            import pyarrow.parquet as pq
            rows = pq.read_table(path).to_pylist()
        elif file_format == "csv":
            import csv
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                rows = []
                for number, row in enumerate(reader, start=1):
                    if None in row:
                        raise InputError(f"row {number}: more values than header columns; "
                                         f"quote values that contain commas")
                    rows.append(row)
        else:
            text = path.read_text(encoding="utf-8-sig").strip()
            if text.startswith("["):
                rows = json.loads(text)
            else:
                rows = []
                for number, line in enumerate(text.splitlines(), start=1):
                    if line.strip():
                        try:
                            rows.append(json.loads(line))
                        except json.JSONDecodeError as error:
                            raise InputError(f"row {number}: not JSON ({error.msg}); give one "
                                             f"object per line or an array of objects")
    except UnicodeDecodeError as error:
        raise InputError(f"--source {path}: not UTF-8 text (byte {error.start}); re-save it "
                         f"as UTF-8")
    except json.JSONDecodeError as error:
        raise InputError(f"--source {path}: not valid JSON (line {error.lineno}: {error.msg})")
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"--source {path}: cannot read it as {file_format} "
                         f"({str(error).splitlines()[0][:160]})")
    if not isinstance(rows, list):
        raise InputError(f"--source {path}: JSON must be an array of objects")
    if not rows:
        raise InputError(f"--source {path}: no records in the file")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputError(f"row {number}: not an object with named fields")
    names = {ALIASES.get(name.strip().lower(), name.strip().lower()): name
             for row in rows[:1] for name in row}
    for row in rows[1:]:
        for name in row:
            names.setdefault(ALIASES.get(name.strip().lower(), name.strip().lower()), name)
    wanted = [name for name in (*matching.RAW_COLUMNS,) if name in names]
    if not wanted:
        raise InputError(f"--source {path}: none of the columns {', '.join(sorted(names))} is a "
                         f"matching field; use {', '.join(matching.RAW_COLUMNS)}")
    columns = {name: [_text(row.get(names[name]), number, names[name])
                      for number, row in enumerate(rows, start=1)] for name in wanted}
    if ID_COLUMN in names:
        ids = [_text(row.get(names[ID_COLUMN]), number, names[ID_COLUMN])
               for number, row in enumerate(rows, start=1)]
    else:
        ids = [f"row-{number}" for number in range(1, len(rows) + 1)]
    return pa.table({ID_COLUMN: pa.array(ids, pa.string()),
                     **{name: pa.array(values, pa.string()) for name, values in columns.items()}})


def match(records, warehouse: Path):
    """Candidate pairs of the file's records: the warehouse's model, trained on the file's and
    the warehouse's incoming records together."""
    import duckdb
    import pyarrow as pa

    incoming = matching.records_from_raw(records, "crm", ID_COLUMN)  # checks rows first
    try:
        connection = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise InputError(f"cannot open {warehouse} ({str(error).splitlines()[0][:160]}); is a "
                         f"build writing it?")
    try:
        existing = connection.sql(
            "select * from restricted.matching_customer_records order by source_record_id"
        ).to_arrow_table()
    except duckdb.Error:
        raise InputError(f"{warehouse} has no restricted.matching_customer_records; build the "
                         f"warehouse first (make build)")
    finally:
        connection.close()
    file_ids = incoming.column("source_record_id").to_pylist()
    systems = existing.column("source_system").to_pylist()
    ids = [WAREHOUSE_PREFIX + record_id if system == "crm" else record_id
           for record_id, system in zip(existing.column("source_record_id").to_pylist(),
                                        systems)]
    existing = existing.set_column(existing.column_names.index("source_record_id"),
                                   "source_record_id", pa.array(ids, pa.string()))
    existing = existing.select(list(matching.RECORD_COLUMNS))
    combined = pa.concat_tables([existing, incoming.select(list(matching.RECORD_COLUMNS))])
    pairs = matching.score_candidate_pairs(combined)
    keep = pa.array([not incoming_id.startswith(WAREHOUSE_PREFIX)
                     for incoming_id in pairs.column("incoming_id").to_pylist()])
    return file_ids, pairs.filter(keep)


def best_candidates(file_ids: list[str], pairs, top: int) -> list[dict]:
    by_record: dict[str, list[dict]] = {record_id: [] for record_id in file_ids}
    for row in pairs.to_pylist():
        by_record[row["incoming_id"]].append(row)
    results = []
    for record_id in file_ids:
        candidates = sorted(by_record[record_id], key=lambda row: (
            -row["match_probability"], -row["match_weight"], row["customer_id"]))[:top]
        for rank, row in enumerate(candidates, start=1):
            evidence = {field: {"level": row[f"{field}_level"],
                                "similarity": row[f"{field}_similarity"],
                                "match_weight": row[f"{field}_match_weight"]}
                        for field in matching.FIELD_LEVELS if row[f"{field}_level"] != "null"}
            results.append({
                "incoming_id": record_id,
                "candidate_rank": rank,
                "customer_id": row["customer_id"],
                "match_score": row["match_probability"],
                "match_tier": matching.tier(row["match_probability"], **TIERS),
                "is_linked": rank == 1 and row["match_probability"] >= TIERS["high"],
                "match_weight": row["match_weight"],
                "blocking_rule": row["blocking_rule"],
                "evidence": evidence,
            })
        if not candidates:
            results.append({"incoming_id": record_id, "candidate_rank": None,
                            "customer_id": None, "match_score": None, "match_tier": None,
                            "is_linked": False, "match_weight": None, "blocking_rule": None,
                            "evidence": {}})
    return results


def write(results: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".json":
        out.write_text(json.dumps(results, indent=2))
        return
    import csv

    fields = [field for field in matching.FIELD_LEVELS
              if any(field in result["evidence"] for result in results)]
    header = ["incoming_id", "candidate_rank", "customer_id", "match_score", "match_tier",
              "is_linked", "match_weight", "blocking_rule"]
    header += [f"{field}_{part}" for field in fields
               for part in ("level", "similarity", "match_weight")]
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for result in results:
            cells = [result[name] for name in header[:8]]
            for field in fields:
                evidence = result["evidence"].get(field, {})
                cells += [evidence.get("level"), evidence.get("similarity"),
                          evidence.get("match_weight")]
            writer.writerow(cells)


def show(results: list[dict]) -> str:
    lines = []
    for result in results:
        if result["customer_id"] is None:
            lines.append(f"{result['incoming_id']}: no candidate (a new person)")
            continue
        head = (f"{result['incoming_id']} #{result['candidate_rank']}: {result['customer_id']} "
                f"score {result['match_score']:.4f} ({result['match_tier']}"
                f"{', linked' if result['is_linked'] else ''})")
        evidence = ", ".join(f"{field} {value['level']} ({value['match_weight']:+.1f})"
                             for field, value in result["evidence"].items())
        lines.append(f"{head}; {evidence}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.top < 1:
            raise InputError("--top must be at least 1")
        out = args.out or REPO / "data" / "matches" / f"{args.source.stem}.matches.csv"
        if out.suffix.lower() not in (".csv", ".json"):
            raise InputError(f"--out {out}: use a .csv or .json file name")
        warehouse = args.warehouse or default_warehouse()
        if not warehouse.exists():
            raise InputError(f"no warehouse at {warehouse}: build it with `make build` or point "
                             f"--warehouse / CX_WAREHOUSE_PATH at one")
        records = read_records(args.source, _format(args.source, args.format))
        file_ids, pairs = match(records, warehouse)
    except (InputError, matching.MatchingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = best_candidates(file_ids, pairs, args.top)
    write(results, out)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(show(results))
    linked = sum(result["is_linked"] for result in results)
    print(f"\n{len(file_ids)} record(s), {linked} linked at tier high or above; "
          f"matches written to {out}", file=sys.stderr if args.json else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
