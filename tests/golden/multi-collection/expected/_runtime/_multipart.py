"""``multipart/form-data`` bodies: text fields and files, in the order given, streamed.

Parts are laid out like Postman (the ``form-data`` library) lays them out: a
``Content-Disposition`` line per part, a ``Content-Type`` line for files (from the
field's declared type, else guessed from the file name) and for text fields that
declare one. Files are read in 64 KiB chunks when the body is sent, never whole.
"""

from __future__ import annotations

import mimetypes
import os
import secrets
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from ._files import BodySource
from ._types import AsyncFileContent

__all__ = [
    "FormField",
    "FormFile",
    "FormFiles",
    "MultipartBody",
    "Upload",
    "file_field",
    "text_field",
]


@dataclass(frozen=True)
class Upload:
    """A file for a multipart field, with the name and type to send it under.

    Args:
        content: Bytes, text, a path, a binary file or an iterator of chunks.
        filename: Name sent in ``Content-Disposition``; a path's own name by default.
        content_type: The part's ``Content-Type``; guessed from the name by default.
    """

    content: AsyncFileContent
    filename: str | None = None
    content_type: str | None = None


FormFile: TypeAlias = AsyncFileContent | Upload
"""One file: its content (bytes, text, path, file, chunks) or an ``Upload``."""

FormFiles: TypeAlias = FormFile | list[FormFile]
"""One file, or a list of files sent as several parts with the same field name."""


@dataclass(frozen=True)
class FormField:
    """One field of a multipart body: text, or one or several files."""

    name: str
    text: str | None = None
    files: tuple[Upload, ...] = ()
    content_type: str = ""  # of a text field, when it declares one

    @property
    def empty(self) -> bool:
        """True when the field sends nothing (an unset text field, no files)."""
        return self.text is None and not self.files


def text_field(name: str, value: str | None, content_type: str = "") -> FormField:
    """A text field; ``None`` leaves it out."""
    return FormField(name=name, text=value, content_type=content_type)


def file_field(
    name: str,
    value: FormFiles | None,
    filenames: Sequence[str] = (),
    content_type: str = "",
) -> FormField:
    """A file field; ``None`` leaves it out.

    Args:
        name: The field name.
        value: One file or a list of files.
        filenames: Names for files given as bytes, text, file objects or chunks,
            by position (the collection's file names); the field name otherwise.
        content_type: The type every file of the field is sent as, when declared.
    """
    if value is None:
        return FormField(name=name)
    values = value if isinstance(value, list) else [value]
    uploads = tuple(
        _upload(item, filenames[i] if i < len(filenames) else name, content_type)
        for i, item in enumerate(values)
    )
    return FormField(name=name, files=uploads)


def _upload(value: FormFile, fallback: str, content_type: str) -> Upload:
    upload = value if isinstance(value, Upload) else Upload(value)
    filename = upload.filename
    if filename is None:
        content = upload.content
        filename = (
            os.path.basename(os.fspath(content))
            if isinstance(content, os.PathLike)
            else _file_object_name(content) or os.path.basename(fallback)
        )
    kind = upload.content_type or content_type or _guess_type(filename)
    return Upload(upload.content, filename, kind)


def _file_object_name(content: object) -> str:
    name = getattr(content, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else ""


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _quote(value: str) -> str:
    # form-data escapes nothing but these three; a name cannot end the header.
    return (
        value.replace("\\", "\\\\")
        .replace('"', "%22")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
    )


class MultipartBody:
    """A multipart body that can be produced afresh for each attempt.

    Attributes:
        boundary: The part separator (random per body).
        content_type: The request's ``Content-Type`` header value.
        length: Total size in bytes when every file's size is known up front.
        replayable: Whether the body can be sent more than once.
    """

    def __init__(self, fields: Sequence[FormField], boundary: str | None = None):
        self.boundary = boundary or "-" * 26 + secrets.token_hex(12)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        # Each piece is header bytes, or a file source sent as it is.
        self._pieces: list[bytes | BodySource] = []
        for field in fields:
            self._add(field)
        self._pieces.append(f"--{self.boundary}--\r\n".encode())
        self.length = self._length()
        self.replayable = all(
            p.replayable for p in self._pieces if isinstance(p, BodySource)
        )

    def _add(self, field: FormField) -> None:
        name = _quote(field.name)
        if field.text is not None:
            lines = [f'Content-Disposition: form-data; name="{name}"']
            if field.content_type:
                lines.append(f"Content-Type: {field.content_type}")
            self._head(lines)
            self._pieces.append(field.text.encode() + b"\r\n")
        for upload in field.files:
            disposition = (
                f'Content-Disposition: form-data; name="{name}";'
                f' filename="{_quote(upload.filename or "")}"'
            )
            self._head([disposition, f"Content-Type: {upload.content_type}"])
            self._pieces += [BodySource(upload.content), b"\r\n"]

    def _head(self, lines: list[str]) -> None:
        text = f"--{self.boundary}\r\n" + "".join(f"{line}\r\n" for line in lines)
        self._pieces.append((text + "\r\n").encode())

    def _length(self) -> int | None:
        total = 0
        for piece in self._pieces:
            size = len(piece) if isinstance(piece, bytes) else piece.length
            if size is None:
                return None
            total += size
        return total

    def headers(self) -> dict[str, str]:
        """The headers this body implies."""
        headers = {"Content-Type": self.content_type}
        if self.length is not None:
            headers["Content-Length"] = str(self.length)
        return headers

    def sync(self) -> Iterator[bytes]:
        """Chunks for a sync ``httpx`` request."""
        for piece in self._pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            content = piece.sync()
            if isinstance(content, bytes):
                yield content
            else:
                yield from content

    async def async_(self) -> AsyncIterator[bytes]:
        """Chunks for an async ``httpx`` request."""
        for piece in self._pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            content = piece.async_()
            if isinstance(content, bytes):
                yield content
            else:
                async for chunk in content:
                    yield chunk
