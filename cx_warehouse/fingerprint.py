"""Fingerprints of a built warehouse: row count and an order-independent checksum per table and
per column, so two builds of the same data can be compared column by column.

Floating-point values are rounded to 6 decimals so that summation order cannot change them.
Used by the architecture refactor's before/after check (scripts/fingerprint.py), the serving
tests and the full-versus-incremental comparisons.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import duckdb

PUBLIC_SCHEMAS = ("marts", "reference", "audit")
# Relations whose content records when dbt ran, not what the data says.
WALL_CLOCK_RELATIONS = {"audit.dbt_runs", "audit.dbt_model_runs", "audit.receipt_lookups",
                        "audit.erasure_log"}


def _value_expression(column: str, data_type: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    if data_type in ("DOUBLE", "FLOAT", "REAL"):
        return f"round({quoted}, 6)"
    if data_type in ("DOUBLE[]", "FLOAT[]"):
        return f"list_transform({quoted}, lambda value: round(value, 6))"
    return quoted


def _is_model_vector(data_type: str) -> bool:
    """Fixed-size float arrays (embeddings): computed by a neural model whose last bits vary
    with thread scheduling, so they are compared by sums within a tolerance, not by hash."""
    return data_type.startswith("FLOAT[") and data_type != "FLOAT[]"


TOLERANCE = 1e-5


def relations(connection: duckdb.DuckDBPyConnection,
              schemas: Iterable[str] = PUBLIC_SCHEMAS) -> list[tuple[str, str]]:
    """Every table and view in the given schemas (by their unqualified schema names)."""
    wanted = list(schemas)
    rows = connection.execute(
        "select schema_name, table_name from ("
        "  select schema_name, table_name from duckdb_tables() where not internal"
        "  union all"
        "  select schema_name, view_name from duckdb_views() where not internal"
        ") where schema_name in (select unnest(?)) order by 1, 2",
        [wanted],
    ).fetchall()
    return [(schema, name) for schema, name in rows
            if f"{schema}.{name}" not in WALL_CLOCK_RELATIONS]


def fingerprint_relation(connection: duckdb.DuckDBPyConnection, schema: str,
                         name: str) -> dict:
    """{"rows": n, "columns": {column: checksum}} of one relation."""
    columns = connection.execute(
        f'select column_name, column_type from (describe "{schema}"."{name}")'
    ).fetchall()
    if not columns:
        return {"rows": 0, "columns": {}}
    sums = []
    for column, data_type in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if _is_model_vector(data_type):
            sums.append(f"[coalesce(sum(list_sum({quoted}::DOUBLE[])), 0), "
                        f"coalesce(sum(list_sum(list_transform({quoted}::DOUBLE[], "
                        f"lambda value: abs(value)))), 0)]")
        else:
            sums.append("coalesce(sum(hash("
                        f"{_value_expression(column, data_type)}))::hugeint, 0)::varchar")
    row = connection.execute(
        f'select count(*), {", ".join(sums)} from "{schema}"."{name}"'
    ).fetchone()
    return {"rows": row[0],
            "columns": {column: row[i + 1] for i, (column, _) in enumerate(columns)}}


def _same(old, new) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(
            abs(a - b) <= TOLERANCE * max(1.0, abs(a)) for a, b in zip(old, new))
    return old == new


def fingerprint(database: Path | str, schemas: Iterable[str] = PUBLIC_SCHEMAS) -> dict:
    """Fingerprint of every relation in the given schemas of a DuckDB file."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return {f"{schema}.{name}": fingerprint_relation(connection, schema, name)
                for schema, name in relations(connection, schemas)}
    finally:
        connection.close()


def compare(before: dict, after: dict) -> list[str]:
    """One line per difference: relations added or removed, row counts, columns added,
    removed or changed."""
    lines: list[str] = []
    for relation in sorted(set(before) | set(after)):
        if relation not in after:
            lines.append(f"{relation}: removed")
            continue
        if relation not in before:
            lines.append(f"{relation}: added ({after[relation]['rows']} rows)")
            continue
        old, new = before[relation], after[relation]
        if old["rows"] != new["rows"]:
            lines.append(f"{relation}: rows {old['rows']} -> {new['rows']}")
        for column in sorted(set(old["columns"]) | set(new["columns"])):
            if column not in new["columns"]:
                lines.append(f"{relation}.{column}: removed")
            elif column not in old["columns"]:
                lines.append(f"{relation}.{column}: added")
            elif not _same(old["columns"][column], new["columns"][column]):
                lines.append(f"{relation}.{column}: values changed")
    return lines


def load(path: Path | str) -> dict:
    return json.loads(Path(path).read_text())


def save(result: dict, path: Path | str) -> None:
    Path(path).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
