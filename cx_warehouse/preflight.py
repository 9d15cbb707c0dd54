"""Preflight check of the landing folder, before dbt reads it.

Every raw file that a source YAML declares (an ``external_location`` in
``models/**/_*__sources.yml``) is checked the way dbt will read it: it exists, it is not empty, it
is readable in its format (Parquet footer intact, UTF-8 text, the CSV dialect the source fixes,
JSON Lines that parse), and a CSV header has the declared columns. Each problem is one line that
names the file and the fix; nothing raises. Schema drift of readable files (a missing, new or
retyped column) is the dbt hook ``check_source_schemas``'s job; this module only reads enough of
a Parquet file's schema to report a file that is not Parquet at all.

The list of files is derived from the source YAML, not kept here: a new source is checked as
soon as it is declared.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb
import jinja2
import yaml

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
PARQUET_MAGIC = b"PAR1"
# JSON Lines: when none of the first lines parse, the file is not JSON Lines at all (a single
# broken line is a row-level defect that staging quarantines as broken_json).
JSONL_SAMPLE_LINES = 50
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class RawFile:
    """One raw file a source table reads."""

    source: str
    table: str
    path: Path
    relation: str  # the source's read expression, as dbt renders it
    columns: tuple[str, ...]  # declared columns (lower case)
    optional_on: tuple[str, ...] | bool  # meta.optional: true, or the targets it may be absent on
    yaml_path: Path
    #: The glob the source reads (`<raw>/**/<file>`: the root extract and the daily loads);
    #: `path` is the file's place at the landing folder's root.
    pattern: str = ""

    @property
    def label(self) -> str:
        return f"{self.source}.{self.table}"

    @property
    def kind(self) -> str:
        suffix = self.path.suffix.lower()
        return {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "json"}.get(
            suffix, "other")

    def optional_for(self, target: str) -> bool:
        if isinstance(self.optional_on, bool):
            return self.optional_on
        return target in self.optional_on


@dataclass
class Report:
    """Problems (the build must not start), warnings (it may) and what was checked."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: list[RawFile] = field(default_factory=list)
    absent_optional: list[RawFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------
# The declared files
# --------------------------------------------------------------------------------------------


def _render_location(template: str, raw_dir: Path | None, project_dir: Path) -> str:
    """Render the Jinja of an external_location (env_var only), as dbt does at parse time."""

    def env_var(name: str, default: str | None = None) -> str:
        if name == "CX_RAW_DIR" and raw_dir is not None:
            return str(raw_dir)
        if name == "DBT_PROJECT_DIR":
            return os.environ.get(name, str(project_dir))
        value = os.environ.get(name, default)
        if value is None:
            raise KeyError(f"environment variable {name} is not set")
        return value

    return jinja2.Environment().from_string(template).render(env_var=env_var)


def _format_location(location: str, meta: dict[str, Any], table: str) -> str:
    """dbt-duckdb's formatters: `{name}` (default) or `$name` (formatter: template)."""
    names = {"name": table, "identifier": table}
    if meta.get("formatter") == "template":
        return string.Template(location).safe_substitute(names)
    if meta.get("formatter") == "oldstyle":
        return location % names
    return location.format_map(names)


def declared_raw_files(project_dir: Path, raw_dir: Path | None = None) -> list[RawFile]:
    """Every file-backed source table declared in the project's source YAML files."""
    files: list[RawFile] = []
    for yaml_path in sorted((project_dir / "models").rglob("_*__sources.yml")):
        document = yaml.safe_load(yaml_path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            source_meta = source.get("meta") or {}
            for table in source.get("tables") or []:
                meta = {**source_meta, **(table.get("meta") or {})}
                template = meta.get("external_location")
                if not template:
                    continue
                relation = _format_location(
                    _render_location(template, raw_dir, project_dir), meta, table["name"])
                match = re.search(r"'([^']+)'", relation)
                if not match:
                    continue
                optional = meta.get("optional", False)
                pattern = match.group(1)
                files.append(RawFile(
                    source=source["name"],
                    table=table["name"],
                    path=Path(pattern.replace("/**/", "/")),
                    pattern=pattern,
                    relation=relation,
                    columns=tuple(str(c["name"]).lower() for c in table.get("columns") or []),
                    optional_on=tuple(optional) if isinstance(optional, list) else bool(optional),
                    yaml_path=yaml_path.relative_to(project_dir),
                ))
    return files


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _first_line(message: str) -> str:
    return " ".join(message.strip().splitlines()[0].split()) if message.strip() else message


def _utf8_error(path: Path) -> str | None:
    """Where the file stops being UTF-8 (line and byte), or None when it is valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                bad = chunk[error.start:error.start + 1]
                line += chunk[:error.start].count(b"\n")
                return (f"byte 0x{bad.hex().upper()} at line {line} (byte {offset + error.start}) "
                        "is not UTF-8")
            line += chunk.count(b"\n")
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return f"the file ends inside a multi-byte character (byte {offset}): truncated?"
    return None


def _text_checks(raw: RawFile, head: bytes, report: Report) -> bool:
    """Encoding checks shared by CSV and JSON; False when the file cannot be read as text."""
    if head.startswith(UTF16_BOMS):
        report.problems.append(
            f"{raw.path}: {raw.label} is UTF-16 encoded (it starts with a UTF-16 byte-order "
            f"mark); the source reads UTF-8. Fix: re-export as UTF-8, e.g. "
            f"iconv -f UTF-16 -t UTF-8 {raw.path.name} > fixed && mv fixed {raw.path.name}")
        return False
    error = _utf8_error(raw.path)
    if error:
        report.problems.append(
            f"{raw.path}: {raw.label}: {error}; the source reads UTF-8. Fix: re-export as UTF-8 "
            f"or convert it, e.g. iconv -f LATIN1 -t UTF-8 {raw.path.name} > fixed && "
            f"mv fixed {raw.path.name}")
        return False
    if head.startswith(UTF8_BOM):
        report.warnings.append(
            f"{raw.path}: {raw.label} starts with a UTF-8 byte-order mark. DuckDB skips it, so "
            f"the build reads the file correctly; other tools may not. To remove it: "
            f"sed -i '1s/^\\xEF\\xBB\\xBF//' {raw.path.name}")
    return True


def _check_reads_fully(raw: RawFile, con: duckdb.DuckDBPyConnection, report: Report,
                       read_as: str, fix: str = "") -> None:
    """Read the whole file the way its source does; a failure becomes one problem line."""
    try:
        con.execute(f"select count(*) from {raw.relation}").fetchone()
    except duckdb.Error as error:
        report.problems.append(
            f"{raw.path}: {raw.label} cannot be read {read_as} ({_first_line(str(error))})."
            + (f" Fix: {fix}" if fix else ""))


def _check_parquet(raw: RawFile, con: duckdb.DuckDBPyConnection, report: Report) -> None:
    size = raw.path.stat().st_size
    with open(raw.path, "rb") as handle:
        head = handle.read(4)
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if head != PARQUET_MAGIC or tail != PARQUET_MAGIC:
        what = ("is not a Parquet file (no PAR1 header)" if head != PARQUET_MAGIC else
                "is truncated or incomplete (no PAR1 footer at the end)")
        report.problems.append(
            f"{raw.path}: {raw.label} {what}, {size} bytes. Fix: copy or re-export the file "
            f"again completely (a partial upload or a full disk cuts it off).")
        return
    _check_reads_fully(raw, con, report, "as Parquet", "re-export the file.")


def _sniff_delimiter(header: str) -> str | None:
    counts = {d: header.count(d) for d in (";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


def _check_csv(raw: RawFile, con: duckdb.DuckDBPyConnection, report: Report) -> None:
    with open(raw.path, "rb") as handle:
        head = handle.read(CHUNK_BYTES)
    if not _text_checks(raw, head, report):
        return
    header = head.removeprefix(UTF8_BOM).decode("utf-8", "replace").splitlines()[0]
    delimiter = _sniff_delimiter(header) if "," not in header else None
    if delimiter is not None:
        shown = {"\t": "tab", ";": "';'", "|": "'|'"}[delimiter]
        report.problems.append(
            f"{raw.path}: {raw.label} is {shown}-separated (header: {header[:80]!r}); the source "
            f"reads comma-separated CSV. Fix: re-export with ',' as the delimiter and '\"' as "
            f"the quote.")
        return
    try:
        found = [row[0].lower() for row in
                 con.execute(f"describe select * from {raw.relation}").fetchall()]
        con.execute(f"select count(*) from {raw.relation}").fetchone()
    except duckdb.Error as error:
        crlf = head.count(b"\r\n")
        mixed = 0 < crlf < head.count(b"\n")
        hint = (" It mixes \\r\\n and \\n line endings: use one throughout." if mixed else "")
        report.problems.append(
            f"{raw.path}: {raw.label} is not readable as comma-separated, '\"'-quoted UTF-8 CSV "
            f"with a header ({_first_line(str(error))}).{hint} Fix: re-export it in that "
            f"dialect.")
        return
    missing = [c for c in raw.columns if c not in found and c != "ordinality"]
    if missing and len(found) <= 2:
        report.problems.append(
            f"{raw.path}: {raw.label}: the header has no declared column (missing "
            f"{', '.join(missing)}); wrong delimiter or no header line? Fix: re-export as "
            f"comma-separated CSV with a header.")


def _check_jsonl(raw: RawFile, con: duckdb.DuckDBPyConnection, report: Report) -> None:
    with open(raw.path, "rb") as handle:
        head = handle.read(CHUNK_BYTES)
    if not _text_checks(raw, head, report):
        return
    parsed = tried = 0
    with open(raw.path, encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                continue
            tried += 1
            try:
                if isinstance(json.loads(line), dict):
                    parsed += 1
                    break
            except ValueError:
                pass
            if tried >= JSONL_SAMPLE_LINES:
                break
    if tried == 0:
        report.problems.append(
            f"{raw.path}: {raw.label} has no lines (only whitespace). Fix: re-export it.")
        return
    if not parsed:
        report.problems.append(
            f"{raw.path}: {raw.label}: none of the first {tried} line(s) is a JSON object; the "
            f"source reads JSON Lines (one object per line). Fix: re-export as JSON Lines, not a "
            f"JSON array or pretty-printed JSON.")
        return
    _check_reads_fully(raw, con, report, "as lines", "re-export it as UTF-8 JSON Lines.")


def _check_json(raw: RawFile, con: duckdb.DuckDBPyConnection, report: Report) -> None:
    with open(raw.path, "rb") as handle:
        head = handle.read(CHUNK_BYTES)
    if not _text_checks(raw, head, report):
        return
    try:
        value = json.loads(raw.path.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        report.problems.append(
            f"{raw.path}: {raw.label} is not valid JSON ({error}). Fix: write it as one JSON "
            f"object, e.g. {{\"extracted_at\": \"2026-06-30T23:59:59Z\"}}.")
        return
    if not isinstance(value, dict):
        report.problems.append(
            f"{raw.path}: {raw.label} holds a JSON {type(value).__name__}, not an object. Fix: "
            f"write one JSON object.")
        return
    missing = [c for c in raw.columns if c not in {k.lower() for k in value}]
    required_missing = [c for c in missing if c == "extracted_at"]
    if required_missing:
        report.problems.append(
            f"{raw.path}: {raw.label} has no extracted_at (the data's own clock). Fix: add "
            f"\"extracted_at\": \"<export time, ISO 8601 UTC>\".")
        return
    _check_reads_fully(raw, con, report, "by DuckDB")


CHECKS = {"parquet": _check_parquet, "csv": _check_csv, "jsonl": _check_jsonl,
          "json": _check_json}


LOAD_FOLDER = re.compile(r"^loads/[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def landed_files(raw: RawFile, report: Report | None = None) -> list[RawFile]:
    """The files a declared source table reads: its file at the landing folder's root and/or in
    the daily load folders loads/<YYYY-MM-DD>/ (the source reads `<raw>/**/<file>`). A copy
    anywhere else (a backup folder, a nested load) is a stray: reported as a problem, because
    the source's glob would read it too. No file at all gives the declared path back, which
    then reports as missing."""
    pattern = raw.pattern or str(raw.path)
    if "/**/" not in pattern:
        return [raw]
    root = Path(pattern.split("/**/", 1)[0])
    name = pattern.rsplit("/", 1)[1]
    found = sorted(root.glob(f"**/{name}")) if root.is_dir() else []
    kept = []
    for path in found:
        folder = path.parent.relative_to(root).as_posix()
        if folder == "." or LOAD_FOLDER.match(folder):
            kept.append(dataclasses.replace(raw, path=path,
                                            relation=raw.relation.replace(pattern, str(path))))
        elif report is not None:
            report.problems.append(
                f"{path}: a stray copy of {raw.label} ({name}) outside the landing folder's "
                f"root and its loads/<YYYY-MM-DD>/ folders; the source would read it too. "
                f"Fix: move it out of {root}.")
    return kept or [dataclasses.replace(raw, path=root / name,
                                        relation=raw.relation.replace(pattern, str(root / name)))]


def check_raw_files(files: Iterable[RawFile], target: str = "dev") -> Report:
    """Check each declared raw file (every copy of it: root extract and daily loads); never
    raises on a bad file."""
    report = Report()
    con = duckdb.connect()
    files = [landed for raw in files for landed in landed_files(raw, report)]
    try:
        for raw in files:
            if not raw.path.is_file():
                if raw.optional_for(target):
                    report.absent_optional.append(raw)
                    continue
                where = raw.path.parent
                hint = ("the folder does not exist either: set CX_RAW_DIR to the landing folder"
                        if not where.is_dir() else
                        "put the export there (or set CX_RAW_DIR to the folder that has it)")
                report.problems.append(
                    f"{raw.path}: {raw.label} is missing. Fix: {hint}; `make generate` writes "
                    f"a synthetic landing folder.")
                continue
            if raw.path.stat().st_size == 0:
                report.problems.append(
                    f"{raw.path}: {raw.label} is empty (0 bytes). Fix: re-export it (an empty "
                    f"file is never a valid extract; a table with no rows still has a "
                    f"{'header' if raw.kind == 'csv' else 'schema'}).")
                continue
            check = CHECKS.get(raw.kind)
            try:
                if check is not None:
                    check(raw, con, report)
            except (OSError, ValueError, duckdb.Error) as error:
                report.problems.append(
                    f"{raw.path}: {raw.label} could not be checked ({_first_line(str(error))}).")
                continue
            report.checked.append(raw)
    finally:
        con.close()
    return report


def summary(report: Report, raw_dir: Path) -> str:
    """The one line printed when everything is fine."""
    absent = (f", {len(report.absent_optional)} optional file(s) absent "
              f"({', '.join(r.path.name for r in report.absent_optional)})"
              if report.absent_optional else "")
    warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    return (f"check_raw: OK: {len(report.checked)} raw file(s) in {raw_dir} are readable"
            f"{absent}{warned}.")
