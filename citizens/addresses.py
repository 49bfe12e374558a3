"""The key that tells two citizens of one group they live in the same home.

Residents type their address as they say it: "Số 12 Lạch Tray", "12 Lạch Tray", "số nhà 12, đường
Lạch Tray". The install campaign counts households, not people, so the key keeps only what tells
homes apart: the house number (with its ngõ/ngách/hẻm path) and the street, folded like a search
key, without the words and punctuation people add around them.
"""

import re

from smarthp.text import search_key

# Words that say what the next part is, not which home it is ("so nha 12" = "12").
_FILLER = re.compile(r"\b(?:so nha|nha so|so|duong pho|duong|pho|dia chi|to dan pho|to)\b\.?")
_NOT_KEY = re.compile(r"[^0-9a-z/]+")


def household_key(street_address):
    """ "Số 12, đường Lạch Tray" → "12 lach tray"; "" when nothing is left to compare."""
    text = search_key(street_address)
    text = _FILLER.sub(" ", text)
    return " ".join(_NOT_KEY.sub(" ", text).split())[:200]
