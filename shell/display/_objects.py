"""The display objects: ``HTML``, ``Markdown``, ``Image``... as in ``IPython.display``.

Each object holds data (given directly, read from a file, or fetched from a
URL when asked to) and offers it through ``_repr_<format>_`` methods, so any
front end following IPython's display protocol renders it.
"""

from __future__ import annotations

import base64
import errno
import html
import json as _json
import os
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pygments.lexer import Lexer


class _TextSink(Protocol):
    """The part of a pretty printer (hocus's or IPython's) that ``_repr_pretty_`` uses."""

    def text(self, obj: str) -> None: ...


class DisplayObject:
    """Data to show, from ``data``, a ``filename`` or a ``url``; ``metadata`` goes with it."""

    _read_binary = False

    def __init__(self, data: Any = None, url: str | None = None, filename: str | os.PathLike | None = None,
                 metadata: dict[str, Any] | None = None):
        if isinstance(data, (Path, os.PathLike)):
            data, filename = None, data
        elif isinstance(data, str) and url is None and filename is None and _looks_like_url(data):
            data, url = None, data
        self.data = data
        self.url = url
        self.filename = None if filename is None else os.fspath(filename)
        self.metadata = dict(metadata or {})
        self.reload()

    def reload(self) -> None:
        """Read the data again from the file (or URL, for objects that embed it)."""
        if self.filename is not None:
            if self._read_binary:
                with open(self.filename, "rb") as binary:
                    self.data = binary.read()
            else:
                with open(self.filename, encoding="utf-8") as text:
                    self.data = text.read()

    def _data_and_metadata(self) -> object:
        """The data, with the metadata when there is some: what a ``_repr_<format>_`` returns."""
        return (self.data, self.metadata) if self.metadata else self.data

    def __repr__(self) -> str:
        return f"<{type(self).__module__.replace('._objects', '')}.{type(self).__name__} object>"


class TextDisplayObject(DisplayObject):
    """A display object whose data is text."""

    def _repr_pretty_(self, printer: _TextSink, cycle: bool) -> None:
        printer.text(repr(self))


class Pretty(TextDisplayObject):
    """Text shown as it is (``text/plain``)."""

    def _repr_pretty_(self, printer: _TextSink, cycle: bool) -> None:
        printer.text(str(self.data))


class HTML(TextDisplayObject):
    """HTML (``text/html``)."""

    def _repr_html_(self) -> object:
        return self._data_and_metadata()

    def __html__(self) -> str:
        return str(self.data)


class Markdown(TextDisplayObject):
    """Markdown (``text/markdown``)."""

    def _repr_markdown_(self) -> object:
        return self._data_and_metadata()


class Latex(TextDisplayObject):
    """LaTeX (``text/latex``), e.g. ``Latex(r"$\\alpha$")``."""

    def _repr_latex_(self) -> object:
        return self._data_and_metadata()


class Math(TextDisplayObject):
    """A formula (``text/latex``), given without the surrounding ``$$``."""

    def _repr_latex_(self) -> str | tuple[str, dict[str, Any]]:
        text = str(self.data).strip("$")
        body = f"$\\displaystyle {text}$"
        return (body, self.metadata) if self.metadata else body


class SVG(DisplayObject):
    """An SVG picture (``image/svg+xml``); only the ``<svg>`` element is kept."""

    def reload(self) -> None:
        super().reload()
        if isinstance(self.data, bytes):
            self.data = self.data.decode("utf-8")
        if isinstance(self.data, str):
            start = self.data.find("<svg")
            if start > 0:
                self.data = self.data[start:]

    def _repr_svg_(self) -> object:
        return self._data_and_metadata()


class JSON(DisplayObject):
    """JSON data (``application/json``), shown as a tree where the front end can.

    ``expanded`` and ``root`` go into the metadata, as in IPython.
    """

    def __init__(self, data: Any = None, url: str | None = None, filename: str | os.PathLike[str] | None = None,
                 expanded: bool = False,
                 metadata: dict[str, Any] | None = None, root: str = "root", **kwargs: Any):
        metadata = {"expanded": expanded, "root": root, **(metadata or {}), **kwargs}
        super().__init__(data, url, filename, metadata)
        if isinstance(self.data, str) and filename is not None:
            self.data = _json.loads(self.data)
        elif isinstance(self.data, (bytes, str)) and filename is None and url is None:
            try:
                self.data = _json.loads(self.data)
            except ValueError:
                pass

    def _repr_json_(self) -> tuple[Any, dict[str, Any]]:
        return self.data, self.metadata


class Javascript(TextDisplayObject):
    """JavaScript to run in the front end (``application/javascript``), with optional libraries and CSS."""

    def __init__(self, data: str | None = None, url: str | None = None,
                 filename: str | os.PathLike[str] | None = None, lib: str | list[str] | None = None,
                 css: str | list[str] | None = None):
        self.lib = [lib] if isinstance(lib, str) else list(lib or [])
        self.css = [css] if isinstance(css, str) else list(css or [])
        super().__init__(data, url, filename)

    def _repr_javascript_(self) -> str:
        parts = [f'$("head").append($("<link/>").attr({{rel: "stylesheet", type: "text/css", href: "{c}"}}));\n'
                 for c in self.css]
        code = str(self.data or "")
        for lib in reversed(self.lib):
            code = f'$.getScript("{lib}", function () {{\n{code}\n}});\n'
        return "".join(parts) + code


class Code(TextDisplayObject):
    """Source code, highlighted with pygments (``text/html``, ``text/latex``, ``text/plain``)."""

    def __init__(self, data: str | None = None, url: str | None = None,
                 filename: str | os.PathLike[str] | None = None, language: str | None = None):
        self.language = language
        super().__init__(data, url, filename)

    def _lexer(self) -> Lexer:
        from pygments.lexers import get_lexer_by_name, guess_lexer_for_filename
        from pygments.util import ClassNotFound

        try:
            if self.language:
                return get_lexer_by_name(self.language)
            if self.filename:
                return guess_lexer_for_filename(self.filename, self.data or "")
        except ClassNotFound:
            pass
        return get_lexer_by_name("python3" if not self.language else "text")

    def _repr_html_(self) -> str:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter

        formatter = HtmlFormatter()
        css = formatter.get_style_defs(".output_html")
        return f"<style>{css}</style>{highlight(self.data or '', self._lexer(), formatter)}"

    def _repr_latex_(self) -> str:
        from pygments import highlight
        from pygments.formatters import LatexFormatter

        return highlight(self.data or "", self._lexer(), LatexFormatter())

    def _repr_pretty_(self, printer: _TextSink, cycle: bool) -> None:
        printer.text(str(self.data or ""))


_IMAGE_MIMES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


class Image(DisplayObject):
    """A PNG, JPEG, GIF or WebP picture, from bytes, a file or a URL.

    ``width``/``height`` (pixels) go into the metadata; ``embed=False`` with a
    URL makes an ``<img>`` tag instead of embedding the bytes; ``retina=True``
    halves the shown size of a PNG/JPEG (a picture drawn at twice the DPI).
    """

    _read_binary = True

    def __init__(self, data: bytes | str | None = None, url: str | None = None,
                 filename: str | os.PathLike[str] | None = None,
                 format: str | None = None, embed: bool | None = None, width: int | None = None,
                 height: int | None = None, retina: bool = False, unconfined: bool = False,
                 metadata: dict[str, Any] | None = None, alt: str | None = None):
        if isinstance(data, str) and not _looks_like_url(data) and filename is None:
            if os.path.exists(data):
                data, filename = None, data
            elif "\n" not in data and not _is_base64(data):  # a path after all, to a missing file
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), data)
        self.embed = embed if embed is not None else not (url or (isinstance(data, str) and _looks_like_url(data)))
        self.width, self.height, self.retina, self.unconfined, self.alt = width, height, retina, unconfined, alt
        super().__init__(data, url, filename, metadata)
        # sizes and alt text given in the metadata count as given, as in IPython (they reach the <img> tag)
        self.width = self.width or self.metadata.get("width")
        self.height = self.height or self.metadata.get("height")
        self.alt = self.alt or self.metadata.get("alt")
        self.format = (format or self._guess_format()).lower().replace("jpg", "jpeg")
        if self.embed and self.format not in _IMAGE_MIMES:
            raise ValueError(f"Cannot embed the {self.format!r} image format")
        if retina and self.data:
            size = image_size(self.data)
            if size:
                self.width = self.width or size[0] // 2
                self.height = self.height or size[1] // 2

    def reload(self) -> None:
        if self.embed and self.url and self.filename is None and self.data is None:
            from urllib.request import urlopen

            with urlopen(self.url) as response:
                self.data = response.read()
            return
        super().reload()
        if isinstance(self.data, str) and self.embed:
            self.data = base64.b64decode(self.data)

    def _guess_format(self) -> str:
        name = (self.filename or self.url or "").lower()
        for ext, fmt in ((".png", "png"), (".jpg", "jpeg"), (".jpeg", "jpeg"), (".gif", "gif"), (".webp", "webp")):
            if name.endswith(ext):
                return fmt
        head = self.data[:12] if isinstance(self.data, bytes) else b""
        if head.startswith(b"\x89PNG"):
            return "png"
        if head.startswith(b"\xff\xd8"):
            return "jpeg"
        if head.startswith(b"GIF8"):
            return "gif"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        return "png"

    @property
    def mimetype(self) -> str:
        return _IMAGE_MIMES.get(self.format, "image/" + self.format)

    def _size_metadata(self) -> dict[str, Any]:
        md = dict(self.metadata)
        if self.width:
            md["width"] = self.width
        if self.height:
            md["height"] = self.height
        if self.unconfined:
            md["unconfined"] = True
        if self.alt:
            md["alt"] = self.alt
        return md

    def _repr_mimebundle_(self, include: object = None, exclude: object = None
                          ) -> dict[str, str | None] | tuple[dict[str, str], dict[str, Any]]:
        if not self.embed:
            return {"text/html": self._repr_html_()}
        md = self._size_metadata()
        data = base64.b64encode(self.data).decode("ascii")
        return {self.mimetype: data, "text/plain": repr(self)}, ({self.mimetype: md} if md else {})

    def _repr_html_(self) -> str | None:
        if self.embed:
            return None
        attrs = "".join(f' {k}="{html.escape(str(v))}"' for k, v in (
            ("width", self.width), ("height", self.height), ("class", "unconfined" if self.unconfined else None),
            ("alt", self.alt)) if v)
        return f'<img src="{html.escape(self.url or "")}"{attrs}/>'

    def _repr_png_(self) -> bytes | None:
        return self.data if self.embed and self.format == "png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self.data if self.embed and self.format == "jpeg" else None


class FileLink:
    """A link to a local file: ``<a>`` in HTML, the path in plain text."""

    def __init__(self, path: str | os.PathLike, url_prefix: str = "", result_html_prefix: str = "",
                 result_html_suffix: str = "<br>"):
        if os.path.isdir(path):
            raise ValueError(f"Cannot display a directory using FileLink: {os.fspath(path)!r} is a directory.")
        self.path = os.fspath(path)
        self.url_prefix = url_prefix
        self.result_html_prefix = result_html_prefix
        self.result_html_suffix = result_html_suffix

    def _repr_html_(self) -> str:
        if not os.path.exists(self.path):
            return (f"Path (<tt>{html.escape(self.path)}</tt>) doesn't exist. It may still be in the process of "
                    "being generated, or you may have the incorrect path.")
        href = html.escape(self.url_prefix + self.path.replace(os.sep, "/"))
        return f"{self.result_html_prefix}<a href='{href}' target='_blank'>{html.escape(self.path)}</a>" \
               f"{self.result_html_suffix}"

    def __repr__(self) -> str:
        return os.path.abspath(self.path)


def image_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` of PNG, GIF or JPEG bytes, read from the header; None if unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:4] == b"GIF8" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return None


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error
        return False
    return True


def _looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "ftp://")) and "\n" not in text and len(text) < 2048
