"""What an evidence file is, decided by its content, never by its name or the browser's word.

`check_upload(upload, max_bytes=...)` reads the file once to learn its kind (magic numbers through
`filetype`, the parts list of a ZIP for OOXML and ODF, the directory of an OLE2 compound file for
Word, Excel and PowerPoint 97–2003, a strict decoding for text) and refuses, with a translated
message, anything that is not what its extension says. No database here: the service adds the
rules about rows (permission, editability, the per-report total).

Browsers would sniff and run markup, so text that looks like HTML, SVG or script is refused even
under a harmless name; downloads are attachments with nosniff on top of that.
"""

import codecs
import hashlib
import os
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.core.files import File
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.errors import DomainError

MB = 1024 * 1024
# Thai takes three bytes a character in UTF-8: 150 characters already make 450 bytes, more than
# the 255 that file systems, ZIP tools and many mail clients keep when the file is passed on.
MAX_NAME_CHARACTERS = 150
# Control and invisible format characters (line breaks, bidi overrides that disguise ".exe" as
# ".pdf", zero-width marks); ordinary and no-break spaces are fine.
CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024

# A ZIP is only listed, never unpacked, but whoever opens it later will unpack it.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED = 1024 * MB
ODF_MIMETYPE_MAX_BYTES = 200

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str  # lazy: what people call this kind of file


# Every accepted extension and what its content must be (aliases share a key in DETECTED_AS).
KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", _("PDF document")),
    "png": Kind("image/png", _("PNG image")),
    "jpg": Kind("image/jpeg", _("JPEG image")),
    "jpeg": Kind("image/jpeg", _("JPEG image")),
    "gif": Kind("image/gif", _("GIF image")),
    "webp": Kind("image/webp", _("WebP image")),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("Word document (DOCX)"),
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel workbook (XLSX)"),
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _("PowerPoint presentation (PPTX)"),
    ),
    "doc": Kind("application/msword", _("Word 97–2003 document (DOC)")),
    "xls": Kind("application/vnd.ms-excel", _("Excel 97–2003 workbook (XLS)")),
    "ppt": Kind("application/vnd.ms-powerpoint", _("PowerPoint 97–2003 presentation (PPT)")),
    "odt": Kind("application/vnd.oasis.opendocument.text", _("OpenDocument text (ODT)")),
    "ods": Kind(
        "application/vnd.oasis.opendocument.spreadsheet", _("OpenDocument spreadsheet (ODS)")
    ),
    "odp": Kind(
        "application/vnd.oasis.opendocument.presentation", _("OpenDocument presentation (ODP)")
    ),
    "csv": Kind("text/csv", _("CSV table")),
    "txt": Kind("text/plain", _("plain text")),
}
EXTENSIONS = tuple(KINDS)
TEXT_EXTENSIONS = frozenset({"csv", "txt"})
# The kind the content detectors report for an accepted extension.
DETECTED_AS = {"jpeg": "jpg"}
# What detection may find that is not accepted, named in the refusal.
OTHER_LABELS = {
    "zip": _("ZIP archive"),
    "ole": _("another Office 97–2003 file"),
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
OLE_STREAMS = (
    ("worddocument", "doc"),
    ("workbook", "xls"),
    ("book", "xls"),
    ("powerpoint document", "ppt"),
)
# Text encodings in the order tried: UTF-8 (with or without BOM), then Thai Windows (TIS-620 plus).
TEXT_ENCODINGS = (("utf-8-sig", "utf-8"), ("cp874", "windows-874"))

# Markup a browser would render or run: HTML, SVG, script URLs.
MARKUP = re.compile(
    r"<\s*(?:script|html|svg|iframe|object|embed|body|!doctype\s+html)\b"
    r"|(?:java|vb)script\s*:"
    r"|data\s*:\s*text/html",
    re.IGNORECASE,
)
# C0 control characters other than tab, line feed, form feed and carriage return: binary content.
BINARY_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MARKUP_OVERLAP = 64


@dataclass(frozen=True)
class CheckedUpload:
    """What the checks found: the only facts about the file that are stored."""

    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def refuse(message: str, code: str) -> DomainError:
    return DomainError(message, field="file", code=code)


def megabytes(size: int) -> str:
    """A size in MB as people write it: 20, 0.5, 1.5."""
    text = f"{size / MB:.1f}".rstrip("0").rstrip(".")
    return text if text != "0" else f"{size / MB:.2g}"


def accepted_list() -> str:
    return ", ".join(f".{extension}" for extension in EXTENSIONS)


# --- The name ------------------------------------------------------------------------------------


def clean_name(raw: str | None) -> str:
    """The name as shown and offered for download: NFC-normalised, stripped, checked.

    Django's upload parser already drops folder parts and unprintable characters from names sent
    by browsers; the checks here hold for files that reach the service any other way.
    """
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise refuse(gettext("The file has no name."), "no_name")
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise refuse(
            gettext("The file name must not contain folder parts (“/”, “\\” or “..”)."),
            "path_in_name",
        )
    if any(unicodedata.category(char) in CONTROL_CATEGORIES for char in name):
        raise refuse(
            gettext("The file name contains control characters; rename the file and try again."),
            "control_in_name",
        )
    if len(name) > MAX_NAME_CHARACTERS:
        raise refuse(
            gettext("The file name is longer than %(limit)s characters; shorten it and try again.")
            % {"limit": MAX_NAME_CHARACTERS},
            "name_too_long",
        )
    return name


def extension_of(name: str) -> str:
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if not extension:
        raise refuse(
            gettext("The file name has no extension. Accepted files: %(accepted)s.")
            % {"accepted": accepted_list()},
            "no_extension",
        )
    if extension not in KINDS:
        raise refuse(
            gettext(
                "Files ending in “.%(extension)s” are not accepted. Accepted files: %(accepted)s."
            )
            % {"extension": extension, "accepted": accepted_list()},
            "extension_not_accepted",
        )
    return extension


# --- The content ---------------------------------------------------------------------------------


class _Malformed(Exception):
    """The content claims a structure (ZIP, OLE2) it does not hold."""


def _zip_kind(stream: IO[bytes]) -> str:
    """docx/xlsx/pptx (parts list), odt/ods/odp (the mimetype entry) or "zip"; nothing unpacked
    except the tiny ODF mimetype entry."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES or (
                sum(entry.file_size for entry in entries) > ZIP_MAX_UNCOMPRESSED
            ):
                raise refuse(
                    gettext(
                        "The file unpacks to too much data or too many parts to be checked safely."
                    ),
                    "zip_too_large",
                )
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names:
                found = [
                    kind
                    for folder, kind in OOXML_FOLDERS
                    if any(name.startswith(folder) for name in names)
                ]
                return found[0] if len(found) == 1 else "zip"
            if "mimetype" in names:
                entry = archive.getinfo("mimetype")
                if entry.file_size > ODF_MIMETYPE_MAX_BYTES:
                    return "zip"
                mimetype = archive.read(entry).decode("ascii", "replace").strip()
                return ODF_MIMETYPES.get(mimetype, "zip")
            return "zip"
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        EOFError,
        ValueError,
        OSError,
    ):
        # Corrupt, encrypted or in an unknown compression: not a document we can vouch for.
        raise _Malformed from None


def _ole_root_names(stream: IO[bytes], size: int) -> set[str]:
    """The names of the root storage's entries in an OLE2 compound file (MS-CFB), case-folded.

    Only the header, the FAT and the directory are read; every sector number is bounds-checked
    and every chain is walked at most once, so a crafted file cannot loop or read far.
    """
    free, end_of_chain, no_stream, max_regular = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFA
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        raise _Malformed
    (sector_shift,) = struct.unpack_from("<H", header, 0x1E)
    if sector_shift not in (9, 12):
        raise _Malformed
    sector_size = 1 << sector_shift
    sector_count = max(0, (size - sector_size + sector_size - 1) // sector_size)
    fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
    next_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    if fat_count > sector_count or difat_count > sector_count:
        raise _Malformed

    def sector(number: int) -> bytes:
        if number > max_regular or number >= sector_count:
            raise _Malformed
        stream.seek((number + 1) * sector_size)
        return stream.read(sector_size).ljust(sector_size, b"\0")

    per_sector = sector_size // 4
    difat = list(struct.unpack_from("<109I", header, 0x4C))
    seen: set[int] = set()
    while next_difat not in (free, end_of_chain) and len(difat) < fat_count:
        if next_difat in seen:
            raise _Malformed
        seen.add(next_difat)
        numbers = struct.unpack(f"<{per_sector}I", sector(next_difat))
        difat.extend(numbers[:-1])
        next_difat = numbers[-1]
    fat_sectors = [n for n in difat if n <= max_regular][:fat_count]

    def next_in_chain(number: int) -> int:
        # FAT entries are read where needed: the whole table of a 20 MB file is never built.
        index, offset = divmod(number, per_sector)
        if index >= len(fat_sectors):
            raise _Malformed
        return struct.unpack_from("<I", sector(fat_sectors[index]), offset * 4)[0]

    directory = bytearray()
    number, seen = first_directory, set()
    while number != end_of_chain:
        if number in seen:
            raise _Malformed
        seen.add(number)
        directory += sector(number)
        number = next_in_chain(number)

    def entry(index: int) -> tuple[str, int, int, int, int]:
        raw = directory[index * 128 : (index + 1) * 128]
        (length,) = struct.unpack_from("<H", raw, 0x40)
        name = bytes(raw[: max(0, min(length, 64) - 2)]).decode("utf-16-le", "replace")
        left, right, child = struct.unpack_from("<III", raw, 0x44)
        return name.casefold(), raw[0x42], left, right, child

    count = len(directory) // 128
    if count == 0:
        raise _Malformed
    _name, kind, _left, _right, child = entry(0)
    if kind != 5:  # the root storage is entry 0
        raise _Malformed
    # The root's children form a red-black tree through the left/right sibling links.
    names: set[str] = set()
    pending, visited = [child], set()
    while pending:
        index = pending.pop()
        if index == no_stream or index in visited or index >= count:
            continue
        visited.add(index)
        name, _kind, left, right, _child = entry(index)
        names.add(name)
        pending += [left, right]
    return names


def _ole_kind(stream: IO[bytes], size: int) -> str:
    names = _ole_root_names(stream, size)
    for stream_name, kind in OLE_STREAMS:
        if stream_name in names:
            return kind
    return "ole"


def detect(stream: IO[bytes], size: int) -> str | None:
    """The kind the content is (an accepted extension, "zip", "ole", another `filetype`
    extension), or None when nothing is recognised. Raises DomainError for a ZIP too large."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    try:
        if head.startswith(ZIP_MAGIC):
            return _zip_kind(stream)
        if head.startswith(OLE_MAGIC):
            return _ole_kind(stream, size)
    except (_Malformed, struct.error):
        return None
    kind = filetype.guess(head)
    if kind is None:
        return None
    # An animated PNG is a PNG to every viewer.
    return "png" if kind.extension == "apng" else kind.extension


def _text_problem(stream: IO[bytes]) -> tuple[str | None, str]:
    """(problem, charset): problem is None, "binary" (NUL or control bytes), "encoding" (neither
    UTF-8 nor TIS-620) or "markup"; read in chunks, so a large file is never held whole."""
    for encoding, charset in TEXT_ENCODINGS:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        carry = ""
        try:
            for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
                text = carry + decoder.decode(chunk)
                if BINARY_TEXT.search(text):
                    return "binary", charset
                if MARKUP.search(text):
                    return "markup", charset
                # A tag split between two chunks is seen whole in the next round.
                carry = text[-MARKUP_OVERLAP:]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return None, charset
    return "encoding", ""


def _mismatch(detected: str, extension: str) -> DomainError:
    label = KINDS[detected].label if detected in KINDS else OTHER_LABELS.get(detected)
    if label is None:
        label = gettext("%(type)s file") % {"type": detected.upper()}
    return refuse(
        gettext("The file’s content (%(detected)s) does not match its extension “.%(extension)s”.")
        % {"detected": label, "extension": extension},
        "content_mismatch",
    )


def _markup() -> DomainError:
    return refuse(
        gettext(
            "The file looks like a web page, SVG drawing or script (HTML, SVG or JavaScript), "
            "which is not accepted as evidence."
        ),
        "markup",
    )


def _head(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read(HEAD_BYTES).decode("latin-1")


def check_content(stream: IO[bytes], *, extension: str, size: int) -> str:
    """The content type to store for a file named `*.extension`; DomainError when the content is
    not of that kind."""
    if extension in TEXT_EXTENSIONS:
        problem, charset = _text_problem(stream)
        if problem is None:
            return f"{KINDS[extension].content_type}; charset={charset}"
        if problem == "markup":
            raise _markup()
        detected = detect(stream, size)
        if detected is not None and detected not in TEXT_EXTENSIONS:
            raise _mismatch(detected, extension)
        raise refuse(
            gettext(
                "The file is not plain text in UTF-8 or Thai Windows (TIS-620) encoding; "
                "save it as UTF-8 text and try again."
            ),
            "not_text",
        )
    detected = detect(stream, size)
    if detected is not None and DETECTED_AS.get(extension, extension) == detected:
        return KINDS[extension].content_type
    if detected is not None:
        raise _mismatch(detected, extension)
    if MARKUP.search(_head(stream)):
        raise _markup()
    raise refuse(
        gettext(
            "The file’s content does not match its extension “.%(extension)s” "
            "(a %(kind)s was expected)."
        )
        % {"extension": extension, "kind": KINDS[extension].label},
        "content_not_recognised",
    )


def _too_large(max_bytes: int) -> DomainError:
    return refuse(
        gettext("The file is larger than %(limit)s MB, the most one evidence file may be.")
        % {"limit": megabytes(max_bytes)},
        "too_large",
    )


def _empty() -> DomainError:
    return refuse(gettext("The file is empty."), "empty")


def check_upload(upload: File, *, max_bytes: int) -> CheckedUpload:
    """Check an uploaded file's name, size and content; the facts to store, or DomainError.

    The declared size is checked before anything is read; the bytes are then read in chunks for
    the SHA-256 and the real size, so a file whose size was misreported is caught as well.
    """
    name = clean_name(upload.name)
    extension = extension_of(name)
    declared = upload.size
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    if declared == 0:
        raise _empty()

    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
    if size == 0:
        raise _empty()

    content_type = check_content(upload, extension=extension, size=size)
    upload.seek(0)
    return CheckedUpload(
        original_name=name,
        extension=extension,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
