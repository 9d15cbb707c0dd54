"""CX Warehouse: shared Python code for the generator, scripts and tests."""

__version__ = "0.1.0"
