#!/usr/bin/env python3
"""Measure the conversation enrichment's throughput on staged (redacted) chat messages.

    python scripts/benchmark_enrichment.py [--messages 100000] [--seed 42] [--warehouse FILE]

Without --warehouse it generates a synthetic dataset large enough for --messages chat messages
into a temporary folder and stages the chats with dbt (`dbt run --select +stg_chat__messages`),
so the text is exactly what the dbt Python models read: redacted by staging. It then times,
in this process, the batch functions the models call (cx_warehouse.enrichment):

- message scores (VADER sentiment + intent cues per message; int_chat_messages_scored),
- conversation scores (intent, technical flag, key phrases, sentiment aggregates;
  int_chat_conversations_scored),
- VADER alone and the intent cue matcher alone with the exact-duplicate cache switched off
  (every text scored), as a worst case for data with fewer repeated texts than the synthetic
  chats.

Prints a table; the issue's bar is 100,000 messages in under 60 seconds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
BIN = Path(sys.executable).parent
# Chat messages per unit of --scale in the generator (scale 1 writes about 20,000).
MESSAGES_PER_SCALE = 20_000
LIMIT_SECONDS = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = cli.Parser(
        prog="benchmark_enrichment",
        description="Time the conversation enrichment on N staged chat messages.")
    parser.add_argument("--messages", type=cli.integer(1, example=100_000), default=100_000,
                        help="number of chat messages to enrich (default 100000)")
    parser.add_argument("--seed", type=cli.integer(0, example=42), default=42,
                        help="generator seed (default 42)")
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="an already built DuckDB file to read staging.stg_chat__messages "
                             "from (default: generate and stage a fresh dataset)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error(f"--messages must be at least 1, got {args.messages}")
    if args.warehouse is not None and not args.warehouse.exists():
        parser.error(f"argument --warehouse: {args.warehouse} does not exist; build one with `make build`"
                     " or leave the option out to generate data")
    return args


def stage_chats(folder: Path, messages: int, seed: int) -> Path:
    """Generate enough data for `messages` chat messages and stage the chats with dbt."""
    scale = max(0.1, math.ceil(messages / MESSAGES_PER_SCALE * 1.1 * 10) / 10)
    print(f"generating scale {scale} (seed {seed}) into {folder} ...", flush=True)
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_data.py"), "--scale",
                    str(scale), "--seed", str(seed), "--out", str(folder / "raw"),
                    "--truth-out", str(folder / "truth"), "--quiet"], check=True)
    warehouse = folder / "benchmark.duckdb"
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROJECT_DIR=str(REPO),
               DBT_PROFILES_DIR=str(REPO), CX_RAW_DIR=str(folder / "raw"),
               CX_WAREHOUSE_PATH=str(warehouse))
    print("staging the chats with dbt (redaction) ...", flush=True)
    result = subprocess.run([str(BIN / "dbt"), "run", "--target", "ci", "--select",
                             "+stg_chat__messages", "--log-path", str(folder / "logs"),
                             "--target-path", str(folder / "target")],
                            cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"dbt run failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return warehouse


def timed(label: str, function, rows: list[tuple[str, int, float]], count: int):
    started = time.perf_counter()
    value = function()
    rows.append((label, count, time.perf_counter() - started))
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import duckdb

    from cx_warehouse import enrichment

    with tempfile.TemporaryDirectory(prefix="cx-enrichment-") as temporary:
        folder = Path(temporary)
        warehouse = args.warehouse or stage_chats(folder, args.messages, args.seed)
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            messages = connection.execute(
                "select message_id, conversation_id, message_index, sender_role, "
                "message_text_redacted from staging.stg_chat__messages "
                "order by message_id limit ?", [args.messages]
            ).df()
        if len(messages) < args.messages:
            sys.exit(f"only {len(messages)} staged messages in {warehouse}; "
                     f"pass a larger warehouse or leave --warehouse out")
        texts = messages["message_text_redacted"].tolist()
        enrichment.sentiment_compound(["warm-up"])  # loads the VADER lexicon once
        rows: list[tuple[str, int, float]] = []
        scored = timed("message scores (VADER + intent cues)",
                       lambda: enrichment.message_scores_table(messages), rows, len(messages))
        with_scores = messages.assign(
            sentiment_compound=scored.column("sentiment_compound").to_numpy())
        conversations = messages["conversation_id"].nunique()
        timed("conversation scores (intent, key phrases, sentiment)",
              lambda: enrichment.conversation_scores_table(with_scores), rows, len(messages))
        analyzer = enrichment._analyzer()
        timed("VADER alone, no duplicate cache (worst case)",
              lambda: [analyzer.polarity_scores(text or "") for text in texts], rows,
              len(messages))
        timed("intent cues alone, no duplicate cache (worst case)",
              lambda: enrichment._matcher().score(texts), rows, len(messages))
        if args.keep:
            print(f"kept {folder}")
    unique_texts = len(set(texts))
    total = rows[0][2] + rows[1][2]
    print()
    print(f"{'step':58} {'messages':>9} {'seconds':>8} {'msg/s':>9}")
    for label, count, seconds in rows:
        print(f"{label:58} {count:>9,} {seconds:>8.2f} {count / seconds:>9,.0f}")
    print(f"{'both dbt Python models (messages + conversations)':58} {len(messages):>9,} "
          f"{total:>8.2f} {len(messages) / total:>9,.0f}")
    print()
    print(f"{len(messages):,} messages in {conversations:,} conversations, "
          f"{unique_texts:,} distinct texts; bar: < {LIMIT_SECONDS:.0f} s for 100,000 -> "
          f"{'met' if total < LIMIT_SECONDS else 'NOT met'} ({total:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
