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
