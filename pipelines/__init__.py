"""Batch pipeline: CLI, runner (executors), per-document processing, schemas and atomic writers.

`pipelines.load("ratings", parsed="data/parsed")` reads a table with typed columns (pipelines/load.py; the
module is callable).
"""

from pipelines import load

__all__ = ["load"]
