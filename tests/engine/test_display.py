"""display(), the display protocol, and results with rich representations."""

from __future__ import annotations

from shell import Shell


class RecordingPublisher:
    def __init__(self):
        self.published = []
        self.results = []
        self.cleared = []

    def publish(self, data, metadata=None, *, transient=None, update=False):
        self.published.append((data, metadata, transient, update))

    def publish_result(self, execution_count, data, metadata=None):
        self.results.append((execution_count, data))

    def clear_output(self, wait=False):
        self.cleared.append(wait)


class Rich:
    def _repr_html_(self):
        return "<b>rich</b>"

    def _repr_markdown_(self):
        return "**rich**"

    def __repr__(self):
        return "Rich()"


class Broken:
    def _repr_html_(self):
        raise ValueError("no html today")

    def __repr__(self):
        return "Broken()"


def make(output):
    publisher = RecordingPublisher()
    return Shell(output=output, display_publisher=publisher), publisher


def test_result_carries_every_representation(output):
    sh, pub = make(output)
    sh.user_ns["Rich"] = Rich
    sh.run_cell("Rich()")
    count, data = pub.results[0]
    assert count == 1
    assert data == {"text/html": "<b>rich</b>", "text/markdown": "**rich**", "text/plain": "Rich()"}


def test_display_in_a_cell(output):
    sh, pub = make(output)
    sh.user_ns["Rich"] = Rich
    sh.run_cell("display(Rich(), 5)")
    assert [p[0]["text/plain"] for p in pub.published] == ["Rich()", "5"]
    assert pub.results == []


def test_display_id_and_update(output):
    sh, pub = make(output)
    sh.run_cell("h = display('one', display_id=True)\nh.update('two')")
    first, second = pub.published
    assert first[2]["display_id"] == second[2]["display_id"]
    assert (first[3], second[3]) == (False, True)
    assert second[0]["text/plain"] == "'two'"


def test_mimebundle_and_raw(output):
    sh, pub = make(output)
    sh.run_cell("class B:\n    def _repr_mimebundle_(self, include=None, exclude=None):\n"
                "        return {'text/plain': 'bee', 'application/x-b': 1}\n"
                "display(B())\ndisplay({'text/plain': 'raw!'}, raw=True)")
    assert pub.published[0][0] == {"text/plain": "bee", "application/x-b": 1}
    assert pub.published[1][0] == {"text/plain": "raw!"}


def test_failing_repr_falls_back_with_a_warning(output):
    sh, pub = make(output)
    sh.user_ns["Broken"] = Broken
    result = sh.run_cell("Broken()")
    assert result.success
    assert pub.results[0][1] == {"text/plain": "Broken()"}
    assert "Broken._repr_html_ failed" in output.stderr
    assert output.stderr.count("\n") == 1


def test_ipython_display_hook_is_used(output):
    sh, pub = make(output)
    sh.run_cell("class D:\n    def _ipython_display_(self):\n        display('custom')\ndisplay(D())")
    assert [p[0]["text/plain"] for p in pub.published] == ["'custom'"]


def test_classes_do_not_render_as_instances(output):
    sh, pub = make(output)
    sh.user_ns["Rich"] = Rich
    sh.run_cell("Rich")
    assert set(pub.results[0][1]) == {"text/plain"}


def test_precision_applies_to_floats(shell, output):
    shell.display_formatter.plain.set_precision("3")
    shell.run_cell("3.14159265")
    assert output.stdout == "Out[1]: 3.142\n"


SHOWS_ITSELF = """
class ShowsItself:
    def _ipython_display_(self):
        display('drawn by itself')
    def _repr_html_(self):
        return '<b>never used</b>'
    def __repr__(self):
        return 'ShowsItself()'
"""


def test_a_result_with_ipython_display_is_shown_by_calling_it(output):
    # IPython's displayhook: _ipython_display_ is called, no execute_result, the value is still cached
    sh, pub = make(output)
    sh.run_cell(SHOWS_ITSELF)
    result = sh.run_cell("ShowsItself()")
    assert result.success
    assert [p[0] for p in pub.published] == [{"text/plain": "'drawn by itself'"}]
    assert pub.results == []
    assert sh.user_ns["Out"][2] is result.result and sh.user_ns["_"] is result.result


def test_a_class_with_ipython_display_is_formatted_not_called(output):
    sh, pub = make(output)
    sh.run_cell(SHOWS_ITSELF)
    sh.run_cell("ShowsItself")
    assert pub.published == []
    assert pub.results[0][1]["text/plain"] == "__main__.ShowsItself"


def test_a_failing_ipython_display_warns_once_and_the_result_is_formatted(output):
    sh, pub = make(output)
    sh.run_cell("class Fails:\n    def _ipython_display_(self):\n        raise RuntimeError('no comm')\n"
                "    def __repr__(self):\n        return 'Fails()'")
    result = sh.run_cell("Fails()")
    assert result.success
    assert pub.results == [(2, {"text/plain": "Fails()"})]
    assert output.stderr == "Warning: Fails._ipython_display_ failed (RuntimeError: no comm); using the next format\n"
