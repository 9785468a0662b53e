"""The public ``jupyter_kernel_test`` suite against hocus, with every optional sample filled in."""

from __future__ import annotations

import unittest

import jupyter_kernel_test as jkt
import pytest


@pytest.fixture(scope="class", autouse=True)
def _env(request, hocus_env, tmp_path_factory):
    # A history of its own: the suite's history search expects to find only the cells it ran,
    # not those other kernel tests stored in the session's shared HOCUS_DIR.
    import os

    saved = os.environ["HOCUS_DIR"]
    os.environ["HOCUS_DIR"] = str(tmp_path_factory.mktemp("kernel-test-suite-home"))
    yield
    os.environ["HOCUS_DIR"] = saved


class HocusKernelTests(jkt.KernelTests):
    kernel_name = "hocus"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('oops', file=sys.stderr)"
    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "import os; os.pa"},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n", "%timeit 1", "!ls"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2", "for i in range(3):", "(1,"]
    invalid_code_samples = ["import = 7q", "x = 0b12", ")"]
    code_page_something = "print?"
    code_generate_error = "raise ValueError('boom')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(4)]", "result": "[0, 1, 4, 9]"},
        {"code": "'hocus' * 2", "result": "'hocushocus'"},
    ]
    code_display_data = [
        {"code": "from shell.engine.display.displayer import Displayer\ndisplay({'text/html': '<b>x</b>'}, raw=True)",
         "mime": "text/html"},
        {"code": "class Md:\n    def _repr_markdown_(self): return '**bold**'\ndisplay(Md())", "mime": "text/markdown"},
        {"code": "display({'image/png': 'iVBORw0KGgo='}, raw=True)", "mime": "image/png"},
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "get_ipython().displayer.clear_output(wait=True)"


class HocusIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = "hocus"
    support_iopub_welcome = True
