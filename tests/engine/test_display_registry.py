"""hocus's own display registry, IPython's API without IPython (issue 15).

``shell.display_formatter.formatters[mime]`` has ``for_type``,
``for_type_by_name``, ``lookup``, ``lookup_by_type``, ``pop`` and ``in``.
Each expected value below is what IPython 9's ``display_formatter`` gives
for the same calls (read in a separate process: the IPython bridge owns
IPython's shell in the test process).
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest

from shell import Shell


@pytest.fixture
def shell(output):
    return Shell(output=output)


IPYTHON_MIME_TYPES = ["application/javascript", "application/json", "application/pdf", "image/jpeg", "image/png",
                      "image/svg+xml", "text/html", "text/latex", "text/markdown", "text/plain"]


def test_every_mime_type_has_a_registry(shell):
    assert sorted(shell.display_formatter.formatters) == IPYTHON_MIME_TYPES


def test_for_type_lookup_pop_and_in(shell):
    latex = shell.display_formatter.formatters["text/latex"]
    first, second = (lambda o: "$1$"), (lambda o: "$2$")
    assert latex.for_type(Fraction, first) is None          # IPython 9: None (nothing replaced)
    assert latex.for_type(Fraction, second) is first        # the printer it replaced
    assert latex.for_type(Fraction) is second               # no printer given: just the current one
    assert Fraction in latex and "fractions.Fraction" in latex

    class Sub(Fraction):
        pass

    assert Sub in latex and latex.lookup(Sub(1, 2)) is second  # along the MRO
    assert shell.display_formatter.format(Fraction(1, 3)) == ({"text/latex": "$2$", "text/plain": "Fraction(1, 3)"},
                                                              {})
    assert latex.pop(Fraction) is second and Fraction not in latex
    with pytest.raises(KeyError, match="No registered value for <class 'fractions.Fraction'>"):
        latex.pop(Fraction)
    assert latex.pop(Fraction, "d") == "d"
    with pytest.raises(KeyError, match="No registered printer for <class 'fractions.Fraction'>"):
        latex.lookup(Fraction(1, 2))


def test_for_type_by_name_needs_no_import(shell):
    html = shell.display_formatter.formatters["text/html"]
    printer = lambda obj: "<i>never imported</i>"  # noqa: E731
    assert html.for_type_by_name("no_such_module_h13", "Thing", printer) is None
    assert "no_such_module_h13.Thing" in html
    assert "no_such_module_h13" not in sys.modules
    latex = shell.display_formatter.formatters["text/latex"]
    latex.for_type_by_name("fractions", "Fraction", lambda o: "$x$")
    assert Fraction in latex and "fractions.Fraction" in latex  # IPython 9: True True
    assert shell.display_formatter.format(Fraction(1, 3))[0]["text/latex"] == "$x$"
    assert latex.pop("fractions.Fraction")("any") == "$x$"  # found by name after it moved to the type table
    assert "fractions.Fraction" not in latex


def test_plain_text_printers_are_pretty_printer_callbacks(shell, output):
    plain = shell.display_formatter.formatters["text/plain"]
    plain.for_type(Fraction, lambda obj, p, cycle: p.text(f"{obj.numerator}/{obj.denominator}"))
    # IPython 9: format([Fraction(1, 3)]) -> {'text/plain': '[1/3]'}: the printer works inside containers too
    assert shell.display_formatter.format([Fraction(1, 3)])[0] == {"text/plain": "[1/3]"}
    shell.run_cell("from fractions import Fraction\nFraction(2, 5)")
    assert "Out[1]: 2/5" in output.stdout


def test_a_broken_printer_costs_one_format(shell, output):
    shell.display_formatter.formatters["text/html"].for_type(Fraction, lambda obj: 1 / 0)
    shell.run_cell("from fractions import Fraction\nFraction(1, 2)")
    assert "Out[1]: Fraction(1, 2)" in output.stdout
    assert output.stderr.count("\n") == 1 and "ZeroDivisionError" in output.stderr


class DeclinesHtml:
    def _repr_html_(self):
        raise NotImplementedError

    def __repr__(self):
        return "DeclinesHtml()"


class DeclinesToShowItself:
    def _ipython_display_(self):
        raise NotImplementedError

    def __repr__(self):
        return "DeclinesToShowItself()"


def test_not_implemented_falls_back_quietly(shell, output):
    # IPython 9: format(DeclinesHtml()) -> ({'text/plain': 'DeclinesHtml()'}, {}), nothing printed
    assert shell.display_formatter.format(DeclinesHtml()) == ({"text/plain": "DeclinesHtml()"}, {})
    shell.user_ns.update(DeclinesHtml=DeclinesHtml, DeclinesToShowItself=DeclinesToShowItself)
    shell.run_cell("DeclinesToShowItself()")
    assert "Out[1]: DeclinesToShowItself()" in output.stdout
    assert output.stderr == ""


class Bundle:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": "<b>b</b>", "text/plain": "b", "text/markdown": "m"}


def test_include_and_exclude_filter_mimebundles(shell):
    # IPython 9: exclude={'text/html'} -> {'text/plain': 'b', 'text/markdown': 'm'};
    # include={'text/plain'} -> {'text/plain': 'b'}
    assert shell.display_formatter.format(Bundle(), exclude={"text/html"})[0] == {"text/plain": "b",
                                                                                    "text/markdown": "m"}
    assert shell.display_formatter.format(Bundle(), include={"text/plain"})[0] == {"text/plain": "b"}


def test_display_include_reaches_the_front_end(shell):
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append(data)
    shell.user_ns["Bundle"] = Bundle
    shell.run_cell("from shell.display import display\ndisplay(Bundle(), include=['text/markdown', 'text/plain'])")
    assert shown == [{"text/plain": "b", "text/markdown": "m"}]


def test_the_registry_works_without_ipython():
    code = ("import sys\nfrom fractions import Fraction\nfrom shell import Shell\n"
            "s = Shell()\ns.display_formatter.formatters['text/latex'].for_type(Fraction, lambda o: '$f$')\n"
            "assert s.display_formatter.format(Fraction(1, 2))[0]['text/latex'] == '$f$'\n"
            "assert 'IPython' not in sys.modules\nprint('registry ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "registry ok", done.stderr
