"""Fingerprint a built warehouse (row count and checksum per table and column), or compare two.

    python scripts/fingerprint.py save data/warehouse.duckdb before.json
    python scripts/fingerprint.py compare before.json data/warehouse.duckdb [--renames r.json]

`compare` prints one line per difference and exits 1 when there is any that the renames file
does not explain. A renames file maps "schema.relation.old_column" to "new_column" (or a
relation "schema.old" to "schema.new"); a renamed column must keep its values.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx_warehouse import cli  # noqa: E402
from cx_warehouse.fingerprint import PUBLIC_SCHEMAS, compare, fingerprint, load, save  # noqa: E402


def _fingerprint_of(source: str, schemas: list[str]) -> dict:
    path = Path(source)
    if not path.exists():
        raise SystemExit(f"error: {source} does not exist: give a .duckdb file or a .json "
                         "fingerprint saved by `save`")
    return load(path) if path.suffix == ".json" else fingerprint(path, schemas)


def _apply_renames(before: dict, renames: dict[str, str]) -> dict:
    """The old fingerprint with the listed relations and columns renamed."""
    renamed = json.loads(json.dumps(before))
    for old, new in renames.items():
        if old in renamed:  # a relation
            renamed[new] = renamed.pop(old)
            continue
        relation, _, column = old.rpartition(".")
        if relation in renamed and column in renamed[relation]["columns"]:
            renamed[relation]["columns"][new] = renamed[relation]["columns"].pop(column)
    return renamed


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="fingerprint", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schemas", default=",".join(PUBLIC_SCHEMAS),
                        help="comma-separated schemas to fingerprint (default: the public ones)")
    commands = parser.add_subparsers(dest="command", required=True)
    save_parser = commands.add_parser("save", help="write a warehouse's fingerprint as JSON")
    save_parser.add_argument("warehouse", type=cli.existing_file)
    save_parser.add_argument("output")
    compare_parser = commands.add_parser("compare", help="list differences between two")
    compare_parser.add_argument("before", type=cli.existing_file, help="a .json fingerprint or a .duckdb file")
    compare_parser.add_argument("after", type=cli.existing_file, help="a .json fingerprint or a .duckdb file")
    compare_parser.add_argument("--renames", type=cli.existing_file, help="JSON file of intended renames")
    args = parser.parse_args(argv)

    if args.command == "save":
        save(_fingerprint_of(args.warehouse, args.schemas.split(",")), args.output)
        return 0
    schemas = args.schemas.split(",")
    before = _fingerprint_of(args.before, schemas)
    after = _fingerprint_of(args.after, schemas)
    if args.renames:
        try:
            renames = json.loads(Path(args.renames).read_text())
        except ValueError as error:
            return cli.fail("fingerprint", f"argument --renames: {args.renames} is not JSON "
                                           f"({error}); see --help for its shape")
        before = _apply_renames(before, renames)
    differences = compare(before, after)
    for line in differences:
        print(line)
    print(f"{len(differences)} difference(s) over {len(after)} relations")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
