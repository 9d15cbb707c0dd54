"""Synthetic data generator for CX Warehouse (see docs/raw_source_contract.md, docs/synthetic_data.md)."""

from .config import Config  # noqa: F401
