"""The bounds of every cache in the package, in one place, so that a long-running process (a
service, a batch worker) stays near its start-up size: after 400,000 screens of distinct names it
grows by the figure in benchmarks/RESULTS.md ("Memory over a long run"), not without bound.

- `WORD_CACHE`: entries of each per-word cache (folding, phonetic keys, romanisation, token
  weights, cross-script forms); a few MB per cache when full. Name words follow a steep frequency
  curve, so this many keep nearly every repeat of a customer file's words in cache.
- `NAME_CACHE`: entries of the whole-name normaliser cache (a service screens the same customers
  again; a batch rarely repeats a name).
- `SMALL_CACHE`: characters whose script was looked up.
- The index's per-token match cache is bounded in bytes (`index.candidates.CACHE_BYTES`).
"""

from __future__ import annotations

WORD_CACHE = 32_768
NAME_CACHE = 20_000
SMALL_CACHE = 4_096
