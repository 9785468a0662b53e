"""Display objects as IPython 9 builds them: a missing image file, an <img> tag's attributes,
FileLink on a folder. Each expected value is what ``IPython.display`` gives."""

from __future__ import annotations

import pytest

from shell.display import FileLink, Image

URL = "http://example.com/a.png"


@pytest.mark.parametrize("make", [
    lambda: Image("/no/such/file"),
    lambda: Image("/this/file/does/not/exist/"),
    lambda: Image("/no/such/file.png"),
    lambda: Image(filename="/no/such/file.png"),
])
def test_a_missing_image_file_is_file_not_found(make):
    with pytest.raises(FileNotFoundError):
        make()._repr_png_()


def test_base64_text_is_still_image_data():
    png = Image(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    import base64

    assert Image(base64.b64encode(png.data).decode()).data == png.data


@pytest.mark.parametrize(("kwargs", "html"), [
    ({"metadata": {"width": 200}}, f'<img src="{URL}" width="200"/>'),
    ({"unconfined": True}, f'<img src="{URL}" class="unconfined"/>'),
    ({"width": 10, "metadata": {"height": 5}}, f'<img src="{URL}" width="10" height="5"/>'),
    ({"width": 10, "unconfined": True, "alt": "hi"}, f'<img src="{URL}" width="10" class="unconfined" alt="hi"/>'),
])
def test_metadata_and_unconfined_reach_the_img_tag(kwargs, html):
    image = Image(url=URL, **kwargs)
    assert image._repr_html_() == html
    assert image._repr_mimebundle_() == {"text/html": html}


def test_filelink_refuses_a_directory(tmp_path):
    with pytest.raises(ValueError, match="directory"):
        FileLink(tmp_path)
    (tmp_path / "f.txt").write_text("x")
    assert "f.txt" in FileLink(tmp_path / "f.txt")._repr_html_()
