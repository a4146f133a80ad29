"""Names: turn any name string into folded tokens and phonetic keys (see `normalize`)."""

from .fold import fold_token
from .normalize import NormalizedName, Token, normalize, warm_up, written_words
from .phonetic import phonetic_keys
from .script import detect_script

__all__ = [
    "NormalizedName",
    "Token",
    "detect_script",
    "fold_token",
    "normalize",
    "phonetic_keys",
    "warm_up",
    "written_words",
]
