"""Candidate lookup: the phonetic-key index over listed names."""
