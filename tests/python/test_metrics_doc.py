"""The README's metric list is the one generated from the semantic layer (scripts/metrics_doc.py)."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from conftest import REPO
from cx_warehouse.metrics import (BEGIN_MARKER, END_MARKER, README, MetricsError,
                                  metric_definitions, metrics_markdown, readme_with_metrics)


def test_the_readme_block_is_the_generated_one():
    readme = README.read_text()
    assert readme_with_metrics(readme, metric_definitions()) == readme, (
        "README.md's metric list is out of date: run make metrics-doc")
    block = readme[readme.index(BEGIN_MARKER):readme.index(END_MARKER)]
    for metric in metric_definitions():
        assert f"`{metric['name']}`" in block


def test_a_changed_definition_changes_the_block():
    definitions = copy.deepcopy(metric_definitions())
    nps = next(metric for metric in definitions if metric["name"] == "nps")
    nps["description"] = "Promoters minus detractors | per ticket"
    markdown = metrics_markdown(definitions)
    assert "| `nps` | Net promoter score | Promoters minus detractors \\| per ticket |" in markdown
    assert markdown != metrics_markdown(metric_definitions())


def test_a_readme_without_markers_is_a_one_line_error():
    with pytest.raises(MetricsError, match="no metric block"):
        readme_with_metrics("# no block here\n", metric_definitions())


def test_check_passes_on_the_readme():
    result = subprocess.run([sys.executable, "scripts/metrics_doc.py", "--check"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
