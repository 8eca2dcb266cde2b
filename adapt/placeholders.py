"""The placeholder syntax shared by the core and the model backends (part of the kernel models/ may use).

A segment's inline markup, math, code and links are replaced by numbered placeholders: "[3]" for an
atom (or a pair opener) and "[/3]" for a pair closer. adapt.document builds and restores them.
"""

from __future__ import annotations

import re

# One pattern for both styles: "[3]", "[3]" (pair opener) and "[/3]" (pair closer).
PLACEHOLDER_RE = re.compile(r"\[(/?)(\d{1,4})\]")

__all__ = ["PLACEHOLDER_RE"]
