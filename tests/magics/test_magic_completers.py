"""A magic completes words in its own text through the completer it declares (``@completer_for``)."""

from __future__ import annotations

from magics import BodyCompletion, Magics, cell_magic, completer_for, line_cell_magic, line_magic


class Fruit(Magics):
    """A third-party style magic whose completer reads the instance's own state."""

    def __init__(self, shell):
        super().__init__(shell)
        self.fruit = ["apple", "apricot", "banana"]
        self.requests: list[BodyCompletion] = []

    @line_cell_magic("fruit")
    def fruit_magic(self, line, cell=None):
        return line

    @completer_for(fruit_magic)
    def complete_fruit(self, request: BodyCompletion):
        self.requests.append(request)
        return [(name, "keyword") for name in self.fruit]


@line_magic
def broken(line):
    return line


@completer_for(broken)
def complete_broken(request):
    raise RuntimeError("a bug in a magic's completer")


@cell_magic("plain")
def plain(line, cell):
    return cell


def test_a_magics_completer_answers_inside_its_line_and_cell(shell):
    shell.register_magics(Fruit)
    instance = shell.magics.find("line", "fruit").func.__self__
    assert shell.complete("%fruit ap").texts == ["apple", "apricot"]
    assert shell.complete("%%fruit\nred ba").texts == ["banana"]
    request = instance.requests[-1]
    assert (request.kind, request.name, request.text_before_cursor) == ("cell", "fruit", "red ba")
    assert 0 < request.remaining() <= shell.completer.budget_ms / 1000
    # the line's text after the cursor is the line's alone, not the lines below it
    assert shell.complete("%fruit ap and more\nx = 1", len("%fruit ap")).texts == ["apple", "apricot"]
    assert instance.requests[-1].text_after_cursor == " and more"


def test_an_alias_completes_as_its_target(shell):
    shell.register_magics(Fruit)
    shell.magics.alias("line", "f", "fruit")
    assert shell.complete("%f apr").texts == ["apricot"]


def test_a_failing_or_missing_completer_means_no_words(shell):
    shell.register_magic_function(broken)
    shell.register_magic_function(plain)
    assert shell.complete("%broken x").texts == []
    assert shell.complete("%%plain\nx").texts == []
    assert shell.run_cell("y = 2").success
