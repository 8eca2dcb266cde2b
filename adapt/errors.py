"""Every error OER Adapt raises on purpose, in one tree. Each message says what to do next.

    AdaptError                      base; exit code 2 unless a subclass says otherwise
    ├── UserError                   the user can fix it; exit code 1
    │   ├── InputError              a file we cannot read, parse or accept
    │   │   ├── UnsupportedFormat
    │   │   ├── UnreadableFile      missing, not UTF-8, not a zip...
    │   │   ├── EmptyDocument
    │   │   ├── FileTooLarge
    │   │   └── HostileInput        entity expansion, zip slip, zip bomb...
    │   ├── UnsupportedLanguagePair
    │   ├── InvalidLanguage         not a BCP 47 language tag (adapt.languages)
    │   ├── UnknownResource / UnknownSuggestion
    │   ├── InvalidDecision         e.g. undo with nothing to undo, edit to empty text
    │   ├── ConflictError           someone else changed the suggestion first
    │   ├── LicenseError            the licence forbids the action or must be confirmed
    │   │   └── LicenseConfirmationRequired  the source states no licence: confirm one (--assume-license)
    │   ├── PermissionDenied        the user's role does not allow the action
    │   ├── MissingModel            a model or optional package is not installed (the message says how)
    │   └── StorageFault            the disk said no; nothing was half written
    │       ├── ReadOnlyDatabase    a write to a database on a read-only mount (reads still work)
    │       └── DiskFull            the disk is full; the message names what was not saved
    └── StoreError                  the database is broken or from a newer version
"""

from __future__ import annotations


class AdaptError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UserError(AdaptError):
    exit_code = 1


class InputError(UserError):
    pass


class UnsupportedFormat(InputError):
    pass


class UnreadableFile(InputError):
    pass


class EmptyDocument(InputError):
    pass


class FileTooLarge(InputError):
    pass


class InvalidLanguage(UserError):
    """A value that is not a BCP 47 language tag (adapt.languages)."""


class HostileInput(InputError):
    pass


class UnsupportedLanguagePair(UserError):
    pass


class UnknownResource(UserError):
    pass


class UnknownSuggestion(UserError):
    pass


class InvalidDecision(UserError):
    pass


class ConflictError(UserError):
    pass


class LicenseError(UserError):
    pass


class LicenseConfirmationRequired(LicenseError):
    """The resource states no licence we recognise: the user must confirm one before adapting it."""


class PermissionDenied(UserError):
    pass


class MissingModel(UserError):
    pass


class StoreError(AdaptError):
    pass


class StorageFault(UserError):
    """The disk said no (read-only, full): the user can fix it, and nothing was half written."""


class ReadOnlyDatabase(StorageFault):
    pass


class DiskFull(StorageFault):
    pass
