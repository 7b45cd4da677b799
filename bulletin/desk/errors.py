"""What the desk's operations raise for the editor to see, and who is asking.

Every error carries a sentence in the editor's language (bulletin/messages.py, Chinese by default), and
where there is one the file (relative to the project) and line. The web layer shows `str(error)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bulletin import messages

ROLES = ("editor", "chief")  # 编辑, 主编


@dataclass(frozen=True)
class Editor:
    """The person doing an operation: account name, name shown (and used as a git author), role."""

    name: str
    display: str
    role: str  # "editor" | "chief"

    @property
    def is_chief(self) -> bool:
        return self.role == "chief"


class DeskError(Exception):
    """A problem the editor must see: `message` in their language, `file`/`line` where known, `code`
    the message id (for tests and the web layer's choices)."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.code = code

    @classmethod
    def of(cls, code: str, *, file: str = "", line: int | None = None, **args: object):
        """The error for message `code` (bulletin/messages.py)."""
        text = messages.t(code, file=file, line=line or "", **args)
        if file and "{file}" not in messages.MESSAGES[code][0]:
            text = f"{file}{f':{line}' if line else ''}: {text}"
        return cls(text, file=file, line=line, code=code)


class EditConflict(DeskError):
    """The file changed on disk since the editor opened it: nothing was written. `mine` is the text the
    editor tried to save, `theirs` the file's text now, `theirs_version` its version."""

    def __init__(self, message: str, *, mine: str, theirs: str, theirs_version: str, file: str = "") -> None:
        super().__init__(message, file=file, code="desk_conflict")
        self.mine = mine
        self.theirs = theirs
        self.theirs_version = theirs_version


class NotAllowed(DeskError):
    """The editor's role does not allow the operation."""
