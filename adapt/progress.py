"""The progress callback every long operation takes: `progress(done, total)`, called with (0, total)
first. The CLI passes a rich progress bar, the job runner a function that writes to the jobs table."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]

__all__ = ["Progress"]
