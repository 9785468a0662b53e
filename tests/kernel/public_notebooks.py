"""Real public notebooks for the kernel tests, read from Debian's documentation packages.

The notebooks are not copied into this repository: public projects' content
stays out of our commits. They come with two Debian packages that ``.ci/run``
installs (``apt-get install python-nbsphinx-doc python-notebook-doc``), each
shipping its upstream's documentation notebooks and, in
``/usr/share/doc/PACKAGE/copyright``, their licence. Which notebooks, from
which upstream release, under which licence: ``notebooks/public/README.md``.

A notebook is run as its authors ran it: outputs cleared, code cells as
shipped, in a scratch folder laid out as in the upstream repository (the
pictures it opens sit where it expects them). Cells that need the network
are left out, and every cell left out or expected to fail says why, here
and in the README.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

DOC = Path("/usr/share/doc")
NBSPHINX = DOC / "python-nbsphinx" / "html"  # python-nbsphinx-doc: nbsphinx 0.8.11's docs (MIT)
NOTEBOOK = DOC / "python-notebook-doc" / "html" / "examples" / "Notebook"  # notebook 6.4.12's examples (BSD-3)
FOLDERS = {"nbsphinx": NBSPHINX, "notebook": NOTEBOOK}
PACKAGES = ("python-nbsphinx-doc", "python-notebook-doc")


@dataclass(frozen=True)
class Left:
    """The code cells ``pattern`` finds (a multi-line regex): left out, or expected to fail with ``ename``."""

    pattern: str
    why: str
    ename: str = ""

    def finds(self, source: str) -> bool:
        return re.search(self.pattern, source, re.MULTILINE) is not None


@dataclass(frozen=True)
class PublicNotebook:
    project: str  # a key of FOLDERS
    name: str  # relative to the project's folder, without .ipynb (read from NAME.ipynb or NAME.ipynb.gz)
    licence: str
    removed: tuple[Left, ...] = ()
    failing: tuple[Left, ...] = ()
    beside: dict[str, str] = field(default_factory=dict)  # scratch path -> path under folder, copied in
    hocus_defect: str = ""  # why it does not yet run on hocus (the test is an expected failure until fixed)
    asleep: str = ""  # why it spends long in time.sleep (such a notebook runs once, not with each front end)

    @property
    def id(self) -> str:
        return f"{self.project}/{self.name}"

    @property
    def folder(self) -> Path:
        return FOLDERS[self.project]

    def source(self) -> Path:
        for path in (self.folder / f"{self.name}.ipynb", self.folder / f"{self.name}.ipynb.gz"):
            if path.exists():
                return path
        raise FileNotFoundError(f"{self.name}.ipynb(.gz) is not in {self.folder}; "
                                f"is {' or '.join(PACKAGES)} installed at the version the README names?")

    def prepare(self, scratch: Path) -> tuple[nbformat.NotebookNode, Path]:
        """The notebook with outputs cleared and removed cells left out, and the folder to run it in."""
        path = self.source()
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        for left in self.removed:
            matching = [cell for cell in nb.cells if cell.cell_type == "code" and left.finds(cell.source)]
            assert matching, f"{self.id}: no cell matches {left.pattern!r} (another upstream version?)"
            nb.cells = [cell for cell in nb.cells if cell not in matching]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        for target, origin in self.beside.items():
            destination = scratch / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            copy = shutil.copytree if (self.folder / origin).is_dir() else shutil.copyfile
            copy(self.folder / origin, destination)
        cwd = scratch / Path(self.name).parent
        cwd.mkdir(parents=True, exist_ok=True)
        return nb, cwd

    def expected_error(self, source: str) -> str:
        """The exception name this cell is expected to raise ("" if none)."""
        return next((left.ename for left in self.failing if left.finds(source)), "")


NETWORK = "needs the network (downloads a picture from the web)"
IMAGES = {"images/notebook_icon.png": "_images/notebook_icon.png", "images/python_logo.svg": "_images/python_logo.svg"}

CORPUS = [
    PublicNotebook("nbsphinx", "code-cells", "MIT", beside=IMAGES,
                   removed=(Left(r"embed=True", NETWORK),),
                   failing=tuple(Left(rf"'display\.latex\.{option}'", "pandas 2.0 removed the display.latex options",
                                      "OptionError") for option in ("repr", "longtable", "escape"))),
    PublicNotebook("nbsphinx", "gallery/cell-metadata", "MIT"),
    PublicNotebook("nbsphinx", "gallery/cell-tag", "MIT"),
    PublicNotebook("nbsphinx", "gallery/thumbnail-from-conf-py", "MIT"),
    PublicNotebook("nbsphinx", "subdir/a-notebook-in-a-subdir", "MIT", beside=IMAGES),
    PublicNotebook("nbsphinx", "hidden-cells", "MIT"),
    PublicNotebook("nbsphinx", "allow-errors", "MIT",
                   failing=(Left(r"^nonsense$", "the notebook shows an error on purpose", "NameError"),
                            Left(r"^42 / 0$", "the notebook shows an error on purpose", "ZeroDivisionError"))),
    PublicNotebook("nbsphinx", "allow-errors-per-cell", "MIT",
                   failing=(Left(r"^problem$", "tagged raises-exception: an error on purpose", "NameError"),)),
    PublicNotebook("nbsphinx", "never-execute", "MIT"),
    PublicNotebook("notebook", "Running Code", "BSD-3-Clause", asleep="time.sleep(10) to show interrupting, then 8 x 0.5 s"),
    PublicNotebook("notebook", "Importing Notebooks", "BSD-3-Clause", beside={"nbpackage": "nbpackage"},
                   removed=(Left(r"get_ipython_package_dir", "copies a notebook into the installed IPython package"),
                            Left(r"from IPython\.utils import inside_ipython", "imports the notebook copied there"))),
    PublicNotebook("notebook", "nbpackage/mynotebook", "BSD-3-Clause"),
    PublicNotebook("notebook", "nbpackage/nbs/other", "BSD-3-Clause"),
    PublicNotebook("notebook", "JavaScript Notebook Extensions", "BSD-3-Clause"),
    PublicNotebook("notebook", "Custom Keyboard Shortcuts", "BSD-3-Clause"),
]

# .ci/run installs the packages, so under CI a missing one is a failure, not a skip
needs_doc_packages = pytest.mark.skipif(
    not (NBSPHINX.is_dir() and NOTEBOOK.is_dir()) and not os.environ.get("CI"),
    reason=f"Debian's {' and '.join(PACKAGES)} are not installed (apt-get install {' '.join(PACKAGES)})")
