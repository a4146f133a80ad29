"""Scoring: token similarity, weights, alignment and qualifiers."""
