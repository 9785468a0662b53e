"""Pictures in a text terminal: kitty graphics, iTerm2 inline images, sixel, or a file.

Usage::

    images = TerminalImages()                 # a traitlets Configurable: %config TerminalImages
    text = images.render(png_bytes)           # escape sequences, or one line naming a saved file
    images.protocol_for(os.environ)           # 'kitty', 'iterm', 'sixel' or 'file'

The protocol comes from the environment when ``protocol`` is ``"auto"``:
kitty (``TERM=xterm-kitty`` or ``KITTY_WINDOW_ID``), iTerm2 and WezTerm
(``TERM_PROGRAM`` / ``LC_TERMINAL``). Sixel cannot be detected without
asking the terminal, so it is chosen with ``protocol = "sixel"``. Anywhere
else the image is saved to a temporary file and its path printed in one line
(and opened with ``viewer`` when one is set). Sixel needs Pillow to read the
picture; without it, the file fallback is used.

Saved files live in a :class:`ScratchFolder` of the session's own, removed
with it (when the shell goes, at exit at the latest), so a long session
leaves no ``hocus-image-*.png`` behind.
"""

from __future__ import annotations

import base64
import os
import re
from typing import TYPE_CHECKING, Any, Mapping

from traitlets import CaselessStrEnum, Integer, Unicode
from traitlets.config import Configurable

from shell.engine.display.scratch import ScratchFolder
from shell.engine.io import TextDisplayPublisher

if TYPE_CHECKING:
    from shell.engine.shell import Shell

IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")
_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
ESC = "\x1b"
ST = ESC + "\\"


class TerminalImages(Configurable):
    """How the terminal front ends show images (figures, ``Image``, PNG display data)."""

    protocol = CaselessStrEnum(("auto", "kitty", "iterm", "sixel", "file", "none"), "auto",
                               help="Graphics protocol: auto (from the environment), kitty, iterm, sixel, "
                                    "file (save and print the path) or none (text only).").tag(config=True)
    viewer = Unicode("", help="Command that opens a saved image file (e.g. 'xdg-open'); '' to only print "
                              "the path.").tag(config=True)
    max_width = Integer(0, help="Largest width in pixels for sixel output (0: the image's own).").tag(config=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._scratch = ScratchFolder()  # saved images: removed with this object, at exit at the latest

    def protocol_for(self, environ: Mapping[str, str] | None = None) -> str:
        """The protocol to use now: the setting, or what the environment says the terminal can do."""
        if self.protocol != "auto":
            return self.protocol.lower()
        env = os.environ if environ is None else environ
        if env.get("TERM") == "xterm-kitty" or env.get("KITTY_WINDOW_ID"):
            return "kitty"
        if env.get("TERM_PROGRAM") in ("iTerm.app", "WezTerm") or env.get("LC_TERMINAL") == "iTerm2":
            return "iterm"
        return "file"

    def render(self, data: bytes, mime: str = "image/png", environ: Mapping[str, str] | None = None) -> str | None:
        """Text that shows the image (ending in a newline), or None for ``protocol = "none"``."""
        protocol = self.protocol_for(environ)
        if protocol == "none":
            return None
        if protocol == "kitty" and mime == "image/png":
            return kitty_sequence(data) + "\n"
        if protocol == "iterm":
            return iterm_sequence(data) + "\n"
        if protocol == "sixel":
            sixel = sixel_sequence(data, self.max_width)
            if sixel is not None:
                return sixel + "\n"
        return self._save(data, mime)

    def render_bundle(self, data: dict[str, Any]) -> str | None:
        """Text that shows the bundle's first picture (the engine's :class:`~shell.engine.io.ImageRenderer`)."""
        found = image_from_bundle(data)
        return None if found is None else self.render(found[1], found[0])

    def _save(self, data: bytes, mime: str) -> str:
        import shlex
        import subprocess

        with self._scratch.new_file("hocus-image-", _EXT.get(mime, ".img")) as f:
            f.write(data)
        if self.viewer:
            try:
                subprocess.Popen([*shlex.split(self.viewer), f.name], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            except OSError as err:
                return f"[{mime} saved to {f.name}; viewer failed: {err}]\n"
        return f"[{mime} saved to {f.name}]\n"


def show_images(shell: Shell) -> None:
    """Let the engine's text output draw pictures, with ``%config TerminalImages`` settings.

    The text front ends (``hocus``, ``hocus -c``, scripts, ``embed()``) call
    it after building their shell; a ``Shell()`` of a program shows text only.
    The settings come from the session's config (``c.TerminalImages...``).
    """
    publisher = shell.display_pub
    if isinstance(publisher, TextDisplayPublisher) and publisher.images is None:
        images = TerminalImages(parent=shell)
        publisher.images = images
        shell.add_configurable(images)


def image_from_bundle(data: Mapping[str, Any]) -> tuple[str, bytes] | None:
    """The first picture in a MIME bundle, decoded: ``(mime, bytes)``, or None."""
    for mime in IMAGE_MIMES:
        value = data.get(mime)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                value = base64.b64decode(value)
            except ValueError:
                continue
        return mime, bytes(value)
    return None


def kitty_sequence(png: bytes, chunk: int = 4096) -> str:
    """The kitty graphics protocol: transmit and display a PNG (``a=T,f=100``) in base64 chunks."""
    encoded = base64.standard_b64encode(png).decode("ascii")
    pieces = [encoded[i:i + chunk] for i in range(0, len(encoded), chunk)] or [""]
    out = []
    for index, piece in enumerate(pieces):
        more = 1 if index < len(pieces) - 1 else 0
        keys = f"a=T,f=100,m={more}" if index == 0 else f"m={more}"
        out.append(f"{ESC}_G{keys};{piece}{ST}")
    return "".join(out)


def iterm_sequence(data: bytes, name: str = "hocus.png") -> str:
    """iTerm2's inline image sequence (OSC 1337 File=...), also understood by WezTerm."""
    encoded_name = base64.b64encode(name.encode()).decode("ascii")
    payload = base64.b64encode(data).decode("ascii")
    return f"{ESC}]1337;File=name={encoded_name};size={len(data)};inline=1;preserveAspectRatio=1:{payload}\a"


def sixel_sequence(data: bytes, max_width: int = 0) -> str | None:
    """A sixel picture of the image (up to 255 colours), or None without Pillow."""
    try:
        from PIL import Image
    except ImportError:
        return None
    import io

    image = Image.open(io.BytesIO(data)).convert("RGBA")
    if max_width and image.width > max_width:
        image = image.resize((max_width, max(1, image.height * max_width // image.width)))
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(background, image).convert("RGB")
    indexed = rgb.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pixels = indexed.tobytes()  # mode "P": one palette index per byte
    palette = indexed.getpalette()
    assert palette is not None  # a quantized image is mode "P", which always has one
    return sixel_from_indexed(indexed.width, indexed.height, pixels, palette[: 3 * (max(pixels) + 1)])


def sixel_from_indexed(width: int, height: int, pixels: bytes | list[int], palette: list[int]) -> str:
    """Sixel data for an indexed image: ``pixels`` row by row, ``palette`` as flat r, g, b (0-255).

    No loop runs per pixel: for each row and each colour in it,
    ``bytes.translate`` keeps that colour's pixels as the row's bit of the
    sixel, and the six rows of a band are OR-ed as integers; the sixels
    then become characters and run-length codes by ``translate`` and one
    regular expression. A 640x480 figure takes tens of milliseconds where a
    loop per colour and pixel took seconds (``bench/terminal_images.py``).
    """
    data = bytes(pixels)
    out = [f'{ESC}Pq"1;1;{width};{height}'.encode()]
    for index in range(len(palette) // 3):
        r, g, b = palette[3 * index: 3 * index + 3]
        out.append(b"#%d;2;%d;%d;%d" % (index, r * 100 // 255, g * 100 // 255, b * 100 // 255))
    select = bytearray(256)
    for top in range(0, height, 6):
        masks: dict[int, int] = {}  # colour -> its sixels across the band, as one big integer of bytes
        for bit in range(min(6, height - top)):
            start = (top + bit) * width
            row = data[start:start + width]
            value = 1 << bit
            for colour in set(row):
                select[colour] = value  # the row with this colour's pixels as `value`, the rest as 0
                masks[colour] = masks.get(colour, 0) | int.from_bytes(row.translate(select), "big")
                select[colour] = 0
        bands = [b"#%d" % colour + _run_length(masks[colour].to_bytes(width, "big").translate(_SIXEL_CHARS))
                 for colour in sorted(masks)]
        out.append(b"$".join(bands) + b"-")
    out.append(ST.encode())
    return b"".join(out).decode("ascii")


_SIXEL_CHARS = bytes(range(63, 127)) + bytes(192)  # six bits 0-63 -> "?".."~"
_RUNS = re.compile(rb"(.)\1{3,}")  # four or more of one sixel: "!count" and the sixel


def _run_length(sixels: bytes) -> bytes:
    """``sixels`` with runs coded, and without the empty ones at the end (``$`` goes back anyway)."""
    body = sixels.rstrip(b"?")
    core = body.lstrip(b"?")  # a colour often covers a short stretch: skip the empty lead in C
    lead = len(body) - len(core)
    return (b"!%d?" % lead if lead > 3 else b"?" * lead) + _RUNS.sub(_run, core)


def _run(match: re.Match[bytes]) -> bytes:
    run = match.group()
    return b"!%d%c" % (len(run), run[0])
