"""The notes an export carries (source and licence, changes made, the adaptation's licence, the
unreviewed warning), written in the reader's language from fixed templates (adapt.notices.templates)."""

from adapt.notices.render import ReaderNotices, reader_language, reader_notices

__all__ = ["ReaderNotices", "reader_language", "reader_notices"]
