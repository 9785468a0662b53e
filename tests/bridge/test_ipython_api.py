"""Code written for IPython, run in a hocus Shell: IPython's API reaches the session (shell/bridge).

IPython is installed by the test extra; hocus never imports it itself. The
expected values are IPython's: what the same code does in IPython 9.
"""

from __future__ import annotations

import pytest

pytest.importorskip("IPython", reason="the bridge is for code written for IPython; the test extra installs it")


class RecordingPublisher:
    """A DisplayPublisher keeping every bundle, as a notebook front end would receive them."""

    def __init__(self):
        self.events: list[tuple] = []

    def publish(self, data, metadata=None, *, transient=None, update=False):
        self.events.append(("display", data, transient or {}, update))

    def publish_result(self, execution_count, data, metadata=None):
        self.events.append(("result", data, {}, False))

    def clear_output(self, wait=False):
        self.events.append(("clear", {}, {"wait": wait}, False))


@pytest.fixture
def published():
    return RecordingPublisher()


@pytest.fixture
def sh(output, published):
    from shell import Shell

    return Shell(output=output, display_publisher=published)


def run(sh, code, output=None):
    result = sh.run_cell(code)
    assert result.success, (result, output.stderr if output else "")
    return result


def test_ipython_sees_the_running_session(sh, output):
    run(sh, "import IPython\nip = IPython.get_ipython()\nx = 41", output)
    ip = sh.user_ns["ip"]
    assert ip is sh.user_ns["get_ipython"]() and ip.hocus_shell is sh
    assert ip.user_ns is sh.user_ns and ip.user_ns["x"] == 41
    from IPython.core.interactiveshell import InteractiveShell

    assert isinstance(ip, InteractiveShell) and InteractiveShell.instance() is ip
    run(sh, "ip.push({'y': 1}); ip.ex('z = y + x'); w = ip.ev('z * 2')", output)
    assert sh.user_ns["w"] == 84


def test_user_ns_can_point_at_a_module_for_a_while(sh, output):
    """The notebook importer of Jupyter's examples: a notebook's magics run in its module's namespace.

    IPython 9: ``ip.user_ns = mod.__dict__`` is allowed, ``run_line_magic`` and
    ``getoutput`` then bind in the module, and putting the old dict back restores the session.
    """
    run(sh, "import types, IPython\nip = IPython.get_ipython()\nmod = types.ModuleType('nb')\n"
            "mod.__dict__['get_ipython'] = get_ipython\nsaved = ip.user_ns\nip.user_ns = mod.__dict__\n"
            "try:\n"
            "    code = ip.input_transformer_manager.transform_cell('%time w = 1\\nz = !echo hi\\n')\n"
            "    exec(code, mod.__dict__)\n"
            "finally:\n"
            "    ip.user_ns = saved\n", output)
    mod = sh.user_ns["mod"]
    assert mod.w == 1 and list(mod.z) == ["hi"]
    assert "w" not in sh.user_ns and "z" not in sh.user_ns
    run(sh, "after = 2", output)
    assert sh.user_ns["after"] == 2 and sh.user_ns["ip"].user_ns is sh.user_ns
    result = sh.run_cell("ip.user_ns = 3")
    assert isinstance(result.error_in_exec, TypeError)


def test_run_cell_takes_ipython_9s_cell_meta(sh, output):
    """IPython 9's run_cell and run_cell_async take ``cell_meta=`` (a notebook cell's metadata)."""
    run(sh, "import IPython, asyncio\nip = IPython.get_ipython()\n"
            "r = ip.run_cell('a = 6 * 7', cell_meta={'tags': []})\n"
            "ra = asyncio.run(ip.run_cell_async('b = a + 1', transformed_cell='b = a + 1\\n',"
            " cell_meta={'tags': []}))", output)
    assert (sh.user_ns["a"], sh.user_ns["b"]) == (42, 43)  # IPython 9: 42 and 43
    assert sh.user_ns["r"].success and sh.user_ns["ra"].success


def test_ipython_display_reaches_hocus_display(sh, output, published):
    run(sh, "from IPython.display import display, HTML, Markdown\ndisplay(HTML('<b>hi</b>'), Markdown('*m*'))", output)
    bundles = [data for kind, data, _, _ in published.events if kind == "display"]
    assert bundles[0]["text/html"] == "<b>hi</b>" and bundles[1]["text/markdown"] == "*m*"
    # IPython's own text for its objects, as in IPython
    assert bundles[0]["text/plain"] == "<IPython.core.display.HTML object>"


def test_display_id_handle_updates_in_place(sh, output, published):
    run(sh, "from IPython.display import display\nh = display('first', display_id=True)\nh.update('second')", output)
    (_, first, t1, u1), (_, second, t2, u2) = [e for e in published.events if e[0] == "display"]
    assert (first["text/plain"], u1) == ("'first'", False)
    assert (second["text/plain"], u2) == ("'second'", True)
    assert t1["display_id"] == t2["display_id"] == sh.user_ns["h"].display_id


def test_clear_output_and_update_display(sh, output, published):
    run(sh, "from IPython.display import clear_output, update_display, display\n"
            "display(1, display_id='d1')\nclear_output(wait=True)\nupdate_display(2, display_id='d1')", output)
    kinds = [(kind, transient, update) for kind, _, transient, update in published.events]
    assert kinds == [("display", {"display_id": "d1"}, False), ("clear", {"wait": True}, False),
                     ("display", {"display_id": "d1"}, True)]


def test_ipython_display_protocol_object(sh, output, published):
    run(sh, "class Shown:\n    def _ipython_display_(self):\n        print('shown by itself')\n"
            "from IPython.display import display\ndisplay(Shown())", output)
    assert published.events == []


def test_ipython_magics_class_registers_and_runs(sh, output):
    run(sh, """
from IPython.core.magic import Magics, magics_class, line_magic, cell_magic, line_cell_magic, needs_local_scope
from IPython.core.magic_arguments import magic_arguments, argument, parse_argstring

@magics_class
class Greeter(Magics):
    @line_magic
    def hello(self, line):
        return 'hello ' + line

    @cell_magic
    def shout(self, line, cell):
        return cell.strip().upper() + line

    @needs_local_scope
    @line_magic
    def peek(self, line, local_ns=None):
        return local_ns[line]

    @magic_arguments()
    @argument('-n', type=int, default=1)
    @line_cell_magic
    def rep(self, line, cell=None):
        args = parse_argstring(self.rep, line)
        return (cell or 'x') * args.n

get_ipython().register_magics(Greeter)
""", output)
    ip = sh.user_ns["get_ipython"]()
    assert any(type(m).__name__ == "Greeter" for m in ip.configurables)  # IPython's Magics.__init__ appends
    assert sh.run_cell("%hello world").result == "hello world"
    assert sh.run_cell("%%shout !\nabc").result == "ABC!"
    assert sh.run_cell("secret = 7\n%peek secret").result == 7
    assert sh.run_cell("%rep -n 3").result == "xxx"
    assert sh.run_cell("%%rep -n 2\nab").result == "ab\nab\n"
    name = "world"  # noqa: F841 - IPython expands $name in line magics
    assert sh.run_cell("name = 'there'\n%hello $name").result == "hello there"


def test_register_magic_function_ipython_style(sh, output):
    run(sh, "def double(line):\n    return line * 2\nget_ipython().register_magic_function(double)\n"
            "def both(line, cell=None):\n    return (line, cell)\n"
            "get_ipython().register_magic_function(both, magic_kind='line_cell', magic_name='lc')", output)
    assert sh.run_cell("%double ab").result == "abab"
    assert sh.run_cell("%lc a").result == ("a", None)
    assert sh.run_cell("%%lc a\nb").result == ("a", "b\n")
    assert "lc" in sh.user_ns["get_ipython"]().magics_manager.magics["cell"]


def test_events_use_ipython_names(sh, output):
    run(sh, "seen = []\ndef before(info):\n    seen.append(info.raw_cell)\n"
            "get_ipython().events.register('pre_run_cell', before)", output)
    run(sh, "1 + 1", output)
    assert sh.user_ns["seen"] == ["1 + 1"]
    run(sh, "get_ipython().events.unregister('pre_run_cell', before)", output)


def test_ast_transformers_are_honoured(sh, output):
    run(sh, """
import ast
class Doubler(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 2), node)
        return node
get_ipython().ast_transformers.append(Doubler())
""", output)
    assert sh.run_cell("21").result == 42


def test_a_failing_ast_transformer_is_removed_with_a_warning(sh, output):
    run(sh, "import ast\nclass Broken(ast.NodeTransformer):\n    def visit_Module(self, node):\n"
            "        raise RuntimeError('nope')\nget_ipython().ast_transformers.append(Broken())", output)
    assert sh.run_cell("5").result == 5
    assert "AST transformer" in output.stderr and "nope" in output.stderr
    assert sh.ast_transformers == []


def test_input_transformers_are_honoured(sh, output, capsys):
    run(sh, "def spell(lines):\n    return [l.replace('hush(', 'print(') for l in lines]\n"
            "get_ipython().input_transformers_cleanup.append(spell)\n"
            "get_ipython().input_transformers_post.append(lambda lines: lines + ['after = 1\\n'])", output)
    run(sh, "hush('loud')", output)
    assert capsys.readouterr().out == "loud\n"
    assert sh.user_ns["after"] == 1


def test_sympy_init_printing_registers_with_the_formatters(sh, output, published):
    pytest.importorskip("sympy", reason="sympy is in the test extra")
    run(sh, "import sympy as sym\nsym.init_printing()\nx = sym.Symbol('x')", output)
    run(sh, "x**2/2", output)
    result = [data for kind, data, _, _ in published.events if kind == "result"][-1]
    # IPython (notebook front end) shows the LaTeX from sympy's printer, not the repr's x**2/2
    assert result["text/latex"] == "$\\displaystyle \\frac{x^{2}}{2}$"
    assert "x**2/2" not in result["text/plain"]


def test_ipython_extension_gets_the_ipython_view(sh, output, tmp_path, monkeypatch):
    (tmp_path / "ipy_ext_for_test.py").write_text(
        "from IPython.core.magic import Magics, magics_class, line_magic\n"
        "@magics_class\nclass M(Magics):\n    @line_magic\n    def ping(self, line):\n        return 'pong'\n"
        "def load_ipython_extension(ip):\n    ip.register_magics(M)\n    ip.user_ns['loaded_with'] = type(ip).__name__\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    run(sh, "%load_ext ipy_ext_for_test", output)
    assert sh.user_ns["loaded_with"] == "HocusInteractiveShell"
    assert sh.run_cell("%ping").result == "pong"
    assert "ipy_ext_for_test" in sh.user_ns["get_ipython"]().extension_manager.loaded


def test_ipythons_own_autoreload_extension_loads(sh, output, tmp_path, monkeypatch):
    module = tmp_path / "reloaded_for_test.py"
    module.write_text("def f():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    run(sh, "%load_ext IPython.extensions.autoreload\n", output)
    run(sh, "%autoreload 2\nimport reloaded_for_test", output)
    assert sh.run_cell("reloaded_for_test.f()").result == 1
    module.write_text("def f():\n    return 2\n")
    import os

    stat = module.stat()
    os.utime(module, (stat.st_atime, stat.st_mtime + 10))  # a later mtime, without waiting for the clock
    assert sh.run_cell("reloaded_for_test.f()").result == 2


def test_two_shells_each_get_their_own_view(output):
    from shell import Shell

    a, b = Shell(output=output), Shell(output=output)
    a.run_cell("import IPython\nmine = IPython.get_ipython()")
    b.run_cell("import IPython\nmine = IPython.get_ipython()")
    assert a.user_ns["mine"].hocus_shell is a and b.user_ns["mine"].hocus_shell is b


def test_get_ipython_is_a_builtin_during_cells_for_run_scripts(sh, output, tmp_path):
    script = tmp_path / "uses_get_ipython.py"
    script.write_text("ip = get_ipython()\nfound = ip.user_ns is not None\n")
    run(sh, f"%run {script}", output)
    assert sh.user_ns["found"] is True
    import builtins

    assert not hasattr(builtins, "get_ipython")  # only while a cell runs, as IPython's builtin trap


def test_hocus_display_objects_render_through_ipython_display(sh, output, published):
    run(sh, "from shell.display import HTML\nfrom IPython.display import display\ndisplay(HTML('<i>x</i>'))", output)
    assert published.events[0][1]["text/html"] == "<i>x</i>"


def test_complete_answers_both_ways(sh, output):
    run(sh, "import os\nip = get_ipython()", output)
    ip = sh.user_ns["ip"]
    assert "path" in ip.complete("os.pa").texts  # hocus's CompletionResult
    text, matches = ip.complete("pa", "os.pa", 5)  # IPython's call and answer
    assert text == "pa" and "path" in matches and "pathsep" in matches


def test_bad_ipython_calls_fail_clearly_and_the_shell_survives(sh, output):
    result = sh.run_cell("from IPython.core.magic import Magics\nclass Unmarked(Magics):\n    pass\n"
                         "get_ipython().register_magics(Unmarked)")
    assert isinstance(result.error_in_exec, ValueError) and "@magics_class" in str(result.error_in_exec)
    result = sh.run_cell("get_ipython().register_magic_function(len, magic_kind='sideways')")
    assert isinstance(result.error_in_exec, ValueError)
    result = sh.run_cell("get_ipython().user_ns = None")  # a dict may replace it, as in IPython; nothing else
    assert isinstance(result.error_in_exec, TypeError) and "user_ns must be a dict" in str(result.error_in_exec)
    assert sh.run_cell("1 + 1").result == 2


def test_ipython_progress_bar_updates_one_display(sh, output, published):
    run(sh, "from IPython.display import ProgressBar\nfor _ in ProgressBar(3):\n    pass", output)
    ids = {transient["display_id"] for kind, _, transient, _ in published.events}
    assert len(ids) == 1 and published.events[-1][1]["text/html"].endswith("value='3'></progress>")


def test_ipython_background_jobs_run_and_report(sh, output, capsys):
    run(sh, "from IPython.lib import backgroundjobs as bg\njobs = bg.BackgroundJobManager()\n"
            "ok = jobs.new('sum(range(10))')\nbad = jobs.new('1 / 0')\nok.join(); bad.join()", output)
    assert sh.user_ns["ok"].result == 45
    capsys.readouterr()
    sh.user_ns["bad"].traceback()
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_ast_node_interactivity_set_on_ipythons_class_applies_from_the_next_cell(sh, output, published):
    from IPython.core.interactiveshell import InteractiveShell

    saved = InteractiveShell.__dict__["ast_node_interactivity"]
    try:
        run(sh, "from IPython.core.interactiveshell import InteractiveShell\n"
                "InteractiveShell.ast_node_interactivity = 'all'", output)
        run(sh, "1\n2", output)
        assert [data["text/plain"] for kind, data, _, _ in published.events if kind == "result"] == ["1", "2"]
        assert sh.user_ns["get_ipython"]().ast_node_interactivity == "all"
    finally:
        InteractiveShell.ast_node_interactivity = saved


def test_ast_node_interactivity_through_the_view(sh, output, published):
    run(sh, "get_ipython().ast_node_interactivity = 'all'", output)
    run(sh, "x = 1\nx\ny = 2\ny", output)
    assert [data["text/plain"] for kind, data, _, _ in published.events if kind == "result"] == ["1", "2"]
    assert sh.ast_node_interactivity == "all"


def test_ipython_magic_marked_output_can_be_silenced(sh, output, published):
    run(sh, "from IPython.core.magic import register_line_magic, output_can_be_silenced\n"
            "@output_can_be_silenced\ndef loud(line):\n    return line.upper()\n"
            "get_ipython().register_magic_function(loud)", output)
    run(sh, "%loud hi;", output)
    run(sh, "%loud ho", output)
    assert [data["text/plain"] for kind, data, _, _ in published.events if kind == "result"] == ["'HO'"]


def test_ipython_magics_read_the_sessions_config(output):
    from traitlets.config import Config

    from shell import Shell

    sh = Shell(output=output, config=Config({"Tuned": {"level": 7}}))
    run(sh, "from IPython.core.magic import Magics, magics_class, line_magic\nfrom traitlets import Int\n"
            "@magics_class\nclass Tuned(Magics):\n    level = Int(1).tag(config=True)\n"
            "    @line_magic\n    def level_now(self, line):\n        return self.level\n"
            "get_ipython().register_magics(Tuned)", output)
    assert sh.run_cell("%level_now").result == 7


def test_a_plain_text_printer_registered_with_ipython_applies_inside_containers(sh, output, published):
    run(sh, "from fractions import Fraction\nimport IPython\n"
            "plain = IPython.get_ipython().display_formatter.formatters['text/plain']\n"
            "plain.for_type(Fraction, lambda f, p, cycle: p.text(f'{f.numerator}/{f.denominator}'))", output)
    run(sh, "[Fraction(1, 3), {'half': Fraction(1, 2)}]", output)
    result = [data for kind, data, _, _ in published.events if kind == "result"][-1]
    # IPython 9 shows [1/3, {'half': 1/2}]: its pretty printer uses the printer at every depth
    assert result["text/plain"] == "[1/3, {'half': 1/2}]"


def test_hocus_settings_in_the_config_cause_no_ipython_warnings(output, capfd):
    from traitlets.config import Config

    from shell import Shell

    sh = Shell(output=output, config=Config({"PlainTextFormatter": {"width": 100}, "Shell": {"xmode": "Plain"},
                                             "InteractiveShell": {"colors": "Linux"}}))
    run(sh, "import IPython\nip = IPython.get_ipython()\nfrom IPython.display import display\ndisplay([1])", output)
    captured = capfd.readouterr()
    assert "not recognized" not in captured.err + output.stderr
    assert sh.display_formatter.plain.width == 100


def test_settings_set_through_the_view_are_the_sessions(sh, output):
    ip = sh.get_ipython()
    ip.xmode, ip.colors, ip.call_pdb, ip.automagic = "Plain", "Linux", False, False
    assert (sh.xmode, sh.colors, sh.pdb, sh.automagic) == ("Plain", "Linux", False, False)
    sh.pdb = True
    assert ip.pdb is True and ip.call_pdb is True


def test_execution_count_in_a_cell_is_that_cells_even_while_another_runs(sh):
    """IPython 9: inside cell N, get_ipython().execution_count is N. A cell started while cell 2 runs in
    another thread (a kernel's subshell) is cell 3, and sees 3, not the busy cell's 2."""
    import threading

    assert sh.run_cell("import IPython\nalone = IPython.get_ipython().execution_count").success
    assert sh.user_ns["alone"] == 1
    started, may_end = threading.Event(), threading.Event()
    sh.user_ns.update(started=started, may_end=may_end)
    thread = threading.Thread(target=sh.run_cell, args=("started.set()\nmay_end.wait(60)",))
    thread.start()
    assert started.wait(60)
    overlapping = sh.run_cell("seen = IPython.get_ipython().execution_count")
    may_end.set()
    thread.join(60)
    assert overlapping.execution_count == 3 and sh.user_ns["seen"] == 3
