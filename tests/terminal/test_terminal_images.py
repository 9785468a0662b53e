"""Pictures in the terminal: kitty, iTerm2 and sixel sequences decoded back, and the file fallback."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest

from shell import Shell
from shell.engine.io import TextDisplayPublisher
from shell.terminal.images import TerminalImages, kitty_sequence, show_images, sixel_from_indexed

PIL = pytest.importorskip("PIL.Image")


class Collect:
    def __init__(self):
        self.out = []

    def write(self, text):
        self.out.append(text)

    def write_err(self, text):
        self.out.append(text)

    @property
    def text(self):
        return "".join(self.out)


def make_png(width=13, height=8) -> bytes:
    image = PIL.new("RGB", (width, height), (255, 0, 0))
    for x in range(width):
        for y in range(height):
            if (x + y) % 3 == 0:
                image.putpixel((x, y), (0, 0, 255))
            elif y >= 6:
                image.putpixel((x, y), (0, 255, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def decode_kitty(text: str) -> bytes:
    chunks = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", text)
    assert chunks, "no kitty graphics sequence"
    assert chunks[0][0].startswith("a=T,f=100,")
    flags = [dict(kv.split("=") for kv in keys.split(","))["m"] for keys, _ in chunks]
    assert flags == ["1"] * (len(chunks) - 1) + ["0"]
    return base64.b64decode("".join(payload for _, payload in chunks))


def decode_iterm(text: str) -> tuple[dict, bytes]:
    match = re.fullmatch(r"\x1b\]1337;File=([^:]*):([A-Za-z0-9+/=]*)\x07\n", text)
    assert match, repr(text[:80])
    args = dict(arg.split("=", 1) for arg in match.group(1).split(";"))
    return args, base64.b64decode(match.group(2))


def decode_sixel(text: str) -> tuple[int, int, list[tuple[int, int, int]]]:
    """A small sixel decoder: raster size, palette, run lengths, $ and -; returns RGB pixels (0-100 scale)."""
    match = re.fullmatch(r'\x1bPq"1;1;(\d+);(\d+)(.*)\x1b\\\n', text, re.DOTALL)
    assert match, repr(text[:40])
    width, height, body = int(match.group(1)), int(match.group(2)), match.group(3)
    palette: dict[int, tuple[int, int, int]] = {}
    pixels: list = [None] * (width * height)
    colour, x, top, i = 0, 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "#":
            m = re.match(r"#(\d+)(?:;2;(\d+);(\d+);(\d+))?", body[i:])
            if m.group(2) is not None:
                palette[int(m.group(1))] = tuple(int(v) for v in m.group(2, 3, 4))
            else:
                colour = int(m.group(1))
            i += m.end()
            continue
        if ch == "$":
            x = 0
        elif ch == "-":
            x, top = 0, top + 6
        else:
            count = 1
            if ch == "!":
                m = re.match(r"!(\d+)(.)", body[i:])
                count, ch = int(m.group(1)), m.group(2)
                i += m.end() - 1
            bits = ord(ch) - 63
            for _ in range(count):
                for bit in range(6):
                    if bits & (1 << bit) and top + bit < height:
                        pixels[(top + bit) * width + x] = palette[colour]
                x += 1
        i += 1
    assert None not in pixels
    return width, height, pixels


def test_protocol_from_the_environment():
    images = TerminalImages()
    assert images.protocol_for({"TERM": "xterm-kitty"}) == "kitty"
    assert images.protocol_for({"KITTY_WINDOW_ID": "1", "TERM": "xterm-256color"}) == "kitty"
    assert images.protocol_for({"TERM_PROGRAM": "iTerm.app"}) == "iterm"
    assert images.protocol_for({"TERM": "xterm-256color"}) == "file"
    assert TerminalImages(protocol="sixel").protocol_for({"TERM": "xterm-kitty"}) == "sixel"


def test_kitty_sequence_decodes_back_to_the_png():
    png = make_png(200, 150)
    text = TerminalImages().render(png, environ={"TERM": "xterm-kitty"})
    assert text.endswith("\x1b\\\n")
    assert decode_kitty(text) == png
    assert decode_kitty(kitty_sequence(b"x" * 10000, chunk=4096)) == b"x" * 10000


def test_iterm_sequence_decodes_back_to_the_png():
    png = make_png()
    args, data = decode_iterm(TerminalImages().render(png, environ={"TERM_PROGRAM": "iTerm.app"}))
    assert data == png
    assert args["inline"] == "1" and args["size"] == str(len(png))


def test_sixel_sequence_decodes_back_to_the_pixels():
    png = make_png()
    width, height, pixels = decode_sixel(TerminalImages(protocol="sixel").render(png))
    source = PIL.open(io.BytesIO(png)).convert("RGB")
    assert (width, height) == source.size
    expected = [tuple(v * 100 // 255 for v in source.getpixel((x, y))) for y in range(height) for x in range(width)]
    assert pixels == expected


def test_sixel_of_a_many_coloured_picture_decodes_back_to_its_pixels():
    # 200 colours, a height that is not a multiple of six, long empty stretches and long runs.
    width, height = 97, 23
    image = PIL.new("RGB", (width, height), (255, 255, 255))
    for x in range(width):
        for y in range(height):
            if x > 60 or (x + 2 * y) % 11 == 0:
                image.putpixel((x, y), ((x * 37) % 256, (y * 53) % 256, ((x + y) * 29) % 256))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    quantized = image.quantize(colors=255, method=PIL.Quantize.MEDIANCUT, dither=PIL.Dither.NONE).convert("RGB")
    decoded = decode_sixel(TerminalImages(protocol="sixel").render(buffer.getvalue()))
    assert decoded[:2] == (width, height)
    assert decoded[2] == [tuple(v * 100 // 255 for v in quantized.getpixel((x, y)))
                          for y in range(height) for x in range(width)]


def test_sixel_run_lengths():
    text = sixel_from_indexed(8, 1, [0] * 8, [255, 255, 255]) + "\n"
    assert "#0!8@-" in text
    assert decode_sixel(text)[2] == [(100, 100, 100)] * 8


def test_elsewhere_the_image_is_saved_and_its_path_printed_in_one_line(tmp_path):
    png = make_png()
    images = TerminalImages()
    line = images.render(png, environ={"TERM": "dumb"})
    match = re.fullmatch(r"\[image/png saved to (.+\.png)\]\n", line)
    assert match
    with open(match.group(1), "rb") as f:
        assert f.read() == png
    del images  # the session that showed it is gone: so is the file
    import gc

    gc.collect()
    assert not os.path.exists(match.group(1))


def test_none_shows_text_only():
    out = Collect()
    publisher = TextDisplayPublisher(out, images=TerminalImages(protocol="none"))
    publisher.publish({"text/plain": "<Figure>", "image/png": base64.b64encode(make_png()).decode()})
    assert out.text == "<Figure>\n"


def test_publisher_draws_display_data_and_results(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-kitty")
    png = make_png()
    out = Collect()
    publisher = TextDisplayPublisher(out, images=TerminalImages())
    publisher.publish({"text/plain": "<Image>", "image/png": base64.b64encode(png).decode()})
    assert decode_kitty(out.text) == png and "<Image>" not in out.text
    out.out.clear()
    publisher.publish_result(3, {"text/plain": "<Figure>", "image/png": base64.b64encode(png).decode()})
    assert out.text.startswith("Out[3]: <Figure>\n\x1b_G")
    out.out.clear()
    publisher.publish({"text/plain": "just text"})
    assert out.text == "just text\n"


def test_plain_terminal_prints_no_escape_sequences(monkeypatch):
    for name in ("KITTY_WINDOW_ID", "TERM_PROGRAM", "LC_TERMINAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = Collect()
    sh = Shell(entry_points=False, output=out)
    show_images(sh)  # as the terminal front ends do
    sh.run_cell("from shell.display import Image, display\n"
                f"display(Image({make_png()!r}))")
    assert "\x1b" not in out.text
    assert re.fullmatch(r"\[image/png saved to .+\.png\]\n", out.text)


def test_matplotlib_figure_in_the_terminal_with_kitty(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-kitty")
    out = Collect()
    sh = Shell(entry_points=False, output=out)
    show_images(sh)  # as the terminal front ends do
    result = sh.run_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                         "%config InlineBackend.print_figure_kwargs = {}\n"
                         "plt.figure(figsize=(2, 1), dpi=50); _ = plt.plot([1, 2])")
    assert result.success
    image = PIL.open(io.BytesIO(decode_kitty(out.text)))
    assert image.size == (100, 50)
    sh.run_cell("plt.close('all')")


def test_a_programs_shell_shows_text_only_and_the_terminal_adds_pictures(monkeypatch):
    """Pictures are the terminal's: Shell() of a program prints text/plain, as IPython's InteractiveShell."""
    monkeypatch.setenv("TERM", "xterm-kitty")
    out = Collect()
    sh = Shell(entry_points=False, output=out)
    cell = f"from shell.display import Image, display\ndisplay(Image({make_png()!r}))"
    sh.run_cell(cell)
    assert out.text == "<shell.display.Image object>\n"
    assert "TerminalImages" not in sh.configurables()
    out.out.clear()
    show_images(sh)
    sh.run_cell(cell)
    assert decode_kitty(out.text) == make_png()
    assert "TerminalImages" in sh.configurables()
