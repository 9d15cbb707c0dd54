#!/usr/bin/env python
"""Generate the synthetic CX Warehouse raw extract and ground truth.

Thin wrapper around ``cx_warehouse.generator.cli:main`` (also installed as ``cx-generate``).
Example: python scripts/generate_data.py --scale 1 --seed 42 --out data/raw --truth-out data/truth
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx_warehouse.generator.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
