#!/usr/bin/env python
"""Check the landing folder before dbt reads it: every raw file the sources declare.

Examples:
  python scripts/check_raw.py                       # CX_RAW_DIR, else data/raw
  python scripts/check_raw.py --raw-dir data/ci/raw --target ci

Checks each file that a source YAML (models/**/_*__sources.yml) declares with an
external_location: it exists, it is not empty, and it is readable in its format (an intact
Parquet footer; UTF-8 text; comma-separated CSV with a header; JSON Lines that parse). Prints one
line per problem naming the file and the fix and exits with 2; prints one summary line and exits
with 0 when every file is fine (warnings, e.g. a UTF-8 byte-order mark DuckDB skips, do not fail
unless --strict). Column drift of readable files is checked by dbt itself (the on-run-start hook
check_source_schemas).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
from cx_warehouse import preflight  # noqa: E402

EXIT_OK, EXIT_PROBLEMS = 0, 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = cli.Parser(
        prog="check_raw", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 all files readable, 2 at least one problem (one line each).",
    )
    parser.add_argument(
        "--raw-dir", type=cli.existing_dir, default=None,
        help="landing folder to check (default: $CX_RAW_DIR, else <project>/data/raw)")
    parser.add_argument(
        "--project-dir", type=cli.existing_dir,
        default=Path(os.environ.get("DBT_PROJECT_DIR") or REPO),
        help="dbt project whose source YAML declares the files (default: $DBT_PROJECT_DIR, "
             "else this repository)")
    parser.add_argument(
        "--target", default=os.environ.get("DBT_TARGET", "dev"),
        help="dbt target the build will use; a source with meta.optional listing it may be "
             "absent (default: $DBT_TARGET, else dev)")
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as problems (exit 2)")
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing when every file is fine")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    project_dir = args.project_dir.resolve()
    raw_dir = args.raw_dir or Path(
        os.environ.get("CX_RAW_DIR") or project_dir / "data" / "raw")
    raw_dir = raw_dir.resolve()
    try:
        files = preflight.declared_raw_files(project_dir, raw_dir)
    except (OSError, ValueError, KeyError) as error:
        print(f"check_raw: cannot read the source YAML under {project_dir / 'models'}: {error}. "
              "Fix: run from the repository or pass --project-dir.", file=sys.stderr)
        return EXIT_PROBLEMS
    if not files:
        print(f"check_raw: no source with an external_location under {project_dir / 'models'}. "
              "Fix: pass --project-dir of the dbt project.", file=sys.stderr)
        return EXIT_PROBLEMS
    report = preflight.check_raw_files(files, target=args.target)
    for warning in report.warnings:
        print(f"check_raw: warning: {warning}", file=sys.stderr)
    problems = report.problems + (report.warnings if args.strict else [])
    if problems:
        for problem in report.problems:
            print(f"check_raw: {problem}", file=sys.stderr)
        print(f"check_raw: {len(problems)} problem(s) in {raw_dir}; fix them before "
              "`make build`.", file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.quiet:
        print(preflight.summary(report, raw_dir))
    return EXIT_OK


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
        print(f"check_raw: unexpected error: {type(error).__name__}: {error}. Please report it "
              "with the file that caused it.", file=sys.stderr)
        sys.exit(EXIT_PROBLEMS)
