#!/usr/bin/env python
"""Generate the README's metric list from the semantic layer (models/semantic/).

Examples:
  python scripts/metrics_doc.py            # print the generated block
  python scripts/metrics_doc.py --write    # rewrite the block in README.md (make metrics-doc)
  python scripts/metrics_doc.py --check    # exit 1 when README.md's block is out of date

The block lies between the `<!-- metrics:begin ... -->` and `<!-- metrics:end -->` lines of
README.md's "### Metrics" section; each row is a metric of
models/semantic/_semantic__metrics.yml with its label, description and the report mart it
agrees with (meta.report). tests/python/test_metrics_doc.py checks the README against it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
from cx_warehouse.metrics import (README, MetricsError, metric_definitions,  # noqa: E402
                                  metrics_markdown, readme_with_metrics)


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(description=__doc__.split("\n\n")[0],
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog=__doc__.split("\n\n", 1)[1])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the block in README.md")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 when README.md's block differs from the generated one")
    args = parser.parse_args(argv)
    try:
        definitions = metric_definitions()
        if not (args.write or args.check):
            print(metrics_markdown(definitions))
            return 0
        current = README.read_text()
        updated = readme_with_metrics(current, definitions)
    except MetricsError as error:
        return cli.fail(parser.prog, str(error), code=1)
    if args.check:
        if updated != current:
            print(f"{parser.prog}: README.md's metric list is out of date: run "
                  "`make metrics-doc` (python scripts/metrics_doc.py --write)", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        README.write_text(updated)
        print("README.md: metric list rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
