"""Deterministic file writers (Parquet, JSON Lines, CSV, JSON)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq


def write_parquet(table: pa.Table, path: Path) -> None:
    # no pandas metadata, fixed row groups, no run-dependent key/values
    table = table.replace_schema_metadata(None)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=1_000_000, write_statistics=True,
                   use_dictionary=True, store_schema=True)
    os.replace(tmp, path)


def write_lines(lines: list[str], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
        if lines:
            f.write("\n")
    os.replace(tmp, path)


def write_csv(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pcsv.write_csv(table.replace_schema_metadata(None), tmp,
                   write_options=pcsv.WriteOptions(include_header=True, delimiter=",", quoting_style="needed"))
    os.replace(tmp, path)


def write_json(obj: dict, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)


# ----------------------------------------------------------------------------- streaming sinks
# Every large table is written chunk by chunk, so memory is bounded by one chunk, not the table.
# Files appear under their final name only when closed (written to `<name>.tmp`, then renamed).

ROW_GROUP_SIZE = 1_000_000


class ParquetSink:
    """Append tables of one schema to a Parquet file; each chunk becomes one or more row groups."""

    def __init__(self, path: Path, schema: pa.Schema | None = None) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.schema = None if schema is None else schema.remove_metadata()
        self._writer: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        table = table.replace_schema_metadata(None)
        if self.schema is None:
            self.schema = table.schema
        elif table.schema != self.schema:
            table = table.select(self.schema.names).cast(self.schema)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd", use_dictionary=True,
                                            write_statistics=True, store_schema=True)
        if table.num_rows:
            self._writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is None:  # nothing written: an empty file with the schema
            if self.schema is None:
                raise ValueError(f"{self.path.name}: no schema and no rows")
            self._writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd", use_dictionary=True,
                                            write_statistics=True, store_schema=True)
        self._writer.close()
        os.replace(self.tmp, self.path)


class CsvSink:
    """Append tables to a CSV file (one header)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self._writer: pcsv.CSVWriter | None = None
        self.schema: pa.Schema | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        table = table.replace_schema_metadata(None)
        if self._writer is None:
            self.schema = table.schema
            self._writer = pcsv.CSVWriter(str(self.tmp), table.schema, write_options=pcsv.WriteOptions(
                include_header=True, delimiter=",", quoting_style="needed"))
        self._writer.write_table(table.select(self.schema.names).cast(self.schema))
        self.rows += table.num_rows

    def close(self) -> None:
        assert self._writer is not None, "CsvSink closed before any write"
        self._writer.close()
        os.replace(self.tmp, self.path)


class BytesSink:
    """Append raw bytes (JSON Lines) to a file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.f = open(self.tmp, "wb", buffering=1 << 20)
        self.rows = 0

    def close(self) -> None:
        self.f.close()
        os.replace(self.tmp, self.path)


def concat_parquet(parts: list[Path], path: Path) -> int:
    """Concatenate Parquet files of one schema into `path`, one row group at a time; deletes parts."""
    sink = None
    rows = 0
    for part in parts:
        f = pq.ParquetFile(part)
        if sink is None:
            sink = ParquetSink(path, f.schema_arrow)
        for i in range(f.num_row_groups):
            t = f.read_row_group(i)
            sink.write(t)
            rows += t.num_rows
    if sink is not None:
        sink.close()
    for part in parts:
        part.unlink()
    return rows
