"""Extraction stages: input file -> layout (words, rules, marks) -> cells -> segments -> form items."""
