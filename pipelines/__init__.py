"""Batch pipeline: CLI, runner (executors), per-document processing, schemas and atomic writers."""
