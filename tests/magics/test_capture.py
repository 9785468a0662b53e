"""%%capture: stdout, stderr and rich display output kept in a CapturedIO, and shown again on demand."""

from __future__ import annotations

import pytest

from cell_checks import run_ok


class Html:
    def _repr_html_(self):
        return "<b>hi</b>"

    def __repr__(self):
        return "Html()"


NOISY = """\
%%capture out
import sys
print("to stdout")
print("to stderr", file=sys.stderr)
display(Html())
6 * 7
"""


def test_capture_keeps_everything_out_of_sight(shell, output, capsys):
    shell.user_ns["Html"] = Html
    count = shell.execution_count
    run_ok(shell, output, NOISY)
    assert capsys.readouterr() == ("", "")
    assert output.stdout == "" and output.stderr == ""
    out = shell.user_ns["out"]
    assert out.stdout == "to stdout\n" and out.stderr == "to stderr\n" and str(out) == "to stdout\n"
    assert [o.data for o in out.outputs] == [{"text/html": "<b>hi</b>", "text/plain": "Html()"},
                                             {"text/plain": "42"}]
    assert all(o.metadata == {} for o in out.outputs)
    # The inner cell is not a new prompt: one In entry, the %%capture cell's.
    assert shell.execution_count == count + 1 and len(shell.user_ns["In"]) == count + 1
    assert 42 not in shell.user_ns["Out"].values()


def test_show_and_call_replay_the_output(shell, output, capsys):
    shell.user_ns["Html"] = Html
    run_ok(shell, output, NOISY)
    run_ok(shell, output, "out.show()")
    assert capsys.readouterr() == ("to stdout\n", "to stderr\n")
    assert output.stdout == "Html()\n42\n"
    output.clear()
    run_ok(shell, output, "out()")
    assert capsys.readouterr().out == "to stdout\n" and output.stdout == "Html()\n42\n"


def test_rich_outputs_replay_with_their_mime_data(output):
    from shell import Shell

    published = []

    class Recorder:
        def publish(self, data, metadata=None, *, transient=None, update=False):
            published.append((data, metadata))

        def publish_result(self, count, data, metadata=None):
            published.append((data, metadata))

        def clear_output(self, wait=False):
            pass

    shell = Shell(output=output, display_publisher=Recorder())
    shell.user_ns["Html"] = Html
    run_ok(shell, output, "%%capture out\ndisplay(Html(), metadata={'k': 1})")
    assert published == []
    run_ok(shell, output, "out.outputs[0].display()")
    assert published == [({"text/html": "<b>hi</b>", "text/plain": "Html()"}, {"k": 1})]


@pytest.mark.parametrize("flag,kept", [("--no-stdout", "stdout"), ("--no-stderr", "stderr"),
                                       ("--no-display", "display")])
def test_each_kind_can_be_left_alone(shell, output, capsys, flag, kept):
    shell.user_ns["Html"] = Html
    run_ok(shell, output, NOISY.replace("%%capture out", f"%%capture {flag} out"))
    out = shell.user_ns["out"]
    seen = capsys.readouterr()
    assert (seen.out == "to stdout\n") == (kept == "stdout") and (out.stdout == "") == (kept == "stdout")
    assert (seen.err == "to stderr\n") == (kept == "stderr") and (out.stderr == "") == (kept == "stderr")
    assert (output.stdout == "Html()\n42\n") == (kept == "display") and (out.outputs == []) == (kept == "display")


def test_without_a_name_the_output_is_discarded(shell, output, capsys):
    run_ok(shell, output, "%%capture\nprint('gone')\nx = 1")
    assert capsys.readouterr().out == "" and output.stdout == ""
    assert shell.user_ns["x"] == 1


def test_errors_in_the_cell_are_captured_and_the_shell_goes_on(shell, output):
    run_ok(shell, output, "%%capture out\nbefore = 1\n1 / 0\nafter = 2")
    out = shell.user_ns["out"]
    assert "ZeroDivisionError" in out.stderr and output.stderr == ""
    assert shell.user_ns["before"] == 1 and "after" not in shell.user_ns
    result = run_ok(shell, output, "before + 1")
    assert output.stdout == f"Out[{result.execution_count}]: 2\n"


def test_engine_text_and_shell_commands_are_captured(shell, output):
    run_ok(shell, output, "%%capture out\n!echo from-the-shell\n%who")
    assert "from-the-shell" in shell.user_ns["out"].stdout
    assert output.stdout == ""


def test_publisher_and_output_are_put_back(shell, output):
    publisher, seam = shell.display_pub, shell.output
    shell.run_cell("%%capture out\nraise KeyboardInterrupt")
    assert shell.display_pub is publisher and shell.output is seam
    assert shell.displayer.publisher is publisher
    run_ok(shell, output, "display('shown')")
    assert output.stdout == "'shown'\n"


def test_clear_output_inside_empties_the_captured_displays(shell, output):
    run_ok(shell, output, "%%capture out\ndisplay(1)\nget_ipython().displayer.clear_output()\ndisplay(2)")
    assert [o.data["text/plain"] for o in shell.user_ns["out"].outputs] == ["2"]


def test_bad_variable_name_is_one_line(shell, output):
    shell.run_cell("%%capture not-a-name\nprint(1)")
    assert output.stderr.startswith("UsageError: %%capture: 'not-a-name' is not a valid variable name")
    assert len(output.stderr.splitlines()) == 1


def test_swapping_display_pub_redirects_results_and_display_calls(shell, output):
    from magics.builtin.capture import CapturingPublisher

    catcher = CapturingPublisher()
    shell.display_pub = catcher
    shell.run_cell("display('a')\n'b'")
    assert [o.data["text/plain"] for o in catcher.outputs] == ["'a'", "'b'"]
    assert output.stdout == ""
