"""Where a running cell's output goes: IOPub messages tied to the request that caused them.

- :class:`IOPub` publishes a message with the current request as its
  parent; the transport gives it a ``send`` function, a test gives it a list.
  A subshell's thread (:mod:`shell.kernel.subshells`) has a current request
  of its own; every other thread's is the main shell's.
- :class:`KernelOutput` is the engine's :class:`~shell.engine.io.Output`
  seam: text goes to the kernel's stdout/stderr streams, and a reported
  error (traceback, syntax error, KeyboardInterrupt) becomes one ``error``
  message, remembered for the ``execute_reply``.
- :class:`KernelDisplayPublisher` is the engine's
  :class:`~shell.engine.io.DisplayPublisher`: ``display_data``,
  ``update_display_data``, ``execute_result`` and ``clear_output``. A
  bundle is checked first, in the cell that made it: an entry of the wrong
  type (an int for ``text/html``) is left out with a one-line warning
  (:mod:`shell.kernel.bundles`); NaN and
  infinities become ``"nan"``/``"inf"`` with a warning on the cell's
  stderr (a browser drops a message holding them), and a value JSON cannot
  carry is a ValueError in the cell, never a silently missing output.

Both flush the text streams first, so output appears in the order it was made.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Protocol

from shell.kernel.wire import NotJSONError, json_ready, nan_warning

Send = Callable[..., None]


class _ThreadParent(threading.local):
    """A subshell thread's own current request (``own``); other threads share the main shell's."""

    own = False
    parent: dict[str, Any] | None = None


class IOPub:
    """Publish IOPub messages whose parent is the request being handled (``parent``).

    ``parent`` is the main shell's current request, except in a thread that
    called :meth:`own_parent_in_this_thread` (a subshell's): there it is that
    thread's own, so a subshell's output never lands under the busy main
    cell. Threads a cell starts share the main shell's, as before subshells.
    """

    def __init__(self, send: Send):
        self._send = send
        self._main_parent: dict[str, Any] | None = None
        self._thread = _ThreadParent()

    @property
    def parent(self) -> dict[str, Any] | None:
        thread = self._thread
        return thread.parent if thread.own else self._main_parent

    @parent.setter
    def parent(self, msg: dict[str, Any] | None) -> None:
        if self._thread.own:
            self._thread.parent = msg
        else:
            self._main_parent = msg

    def own_parent_in_this_thread(self) -> None:
        """From now on, the calling thread's requests are the parents of what it publishes."""
        self._thread.own = True

    def publish(self, msg_type: str, content: dict[str, Any], *, metadata: dict[str, Any] | None = None,
                buffers: list[bytes] | None = None, parent: dict[str, Any] | None = None) -> None:
        self._send(msg_type, content, parent or self.parent, metadata=metadata, buffers=buffers)

    def stream(self, name: str, text: str, parent: dict[str, Any] | None = None) -> None:
        self.publish("stream", {"name": name, "text": text}, parent=parent)


class TextSink(Protocol):
    """A stream the kernel's output is written to (an :class:`~shell.kernel.streams.IOPubStream`)."""

    def write(self, text: str, /) -> Any: ...


class KernelOutput:
    """The engine's seams for the kernel: its :class:`~shell.engine.io.Output`, its
    :class:`~shell.engine.io.ErrorReporter` (one ``error`` message per error) and its
    :class:`~shell.engine.io.Pager` (:meth:`page` keeps the text for the reply's ``page`` payload)::

        Shell(output=out, error_reporter=out, pager=out.page)
    """

    def __init__(self, iopub: IOPub, stdout: TextSink, stderr: TextSink, flush: Callable[[], None]):
        self.iopub = iopub
        self.stdout = stdout
        self.stderr = stderr
        self._flush = flush
        self._cell = _CellReport()  # per thread: a subshell's cell and the main cell may run at once

    @property
    def last_error(self) -> dict[str, Any] | None:
        """The ``error`` content of the current cell (of this thread), for its execute reply."""
        return self._cell.last_error

    @last_error.setter
    def last_error(self, content: dict[str, Any] | None) -> None:
        self._cell.last_error = content

    @property
    def pages(self) -> list[str]:
        """What the current cell (of this thread) paged."""
        return self._cell.pages

    def write(self, text: str) -> None:
        self.stdout.write(text)

    def write_err(self, text: str) -> None:
        self.stderr.write(text)

    def write_error(self, error: BaseException, text: str) -> None:
        """An error the engine reports: one ``error`` message with its (coloured) traceback lines."""
        self._flush()
        content = error_content(error, text)
        self.last_error = content
        self.iopub.publish("error", content)

    def page(self, text: str) -> None:
        """Long text (``obj?``): sent with the execute reply as a ``page`` payload, as ipykernel does."""
        self.pages.append(text)


class _CellReport(threading.local):
    """What one thread's current cell reported: its error and its paged text."""

    def __init__(self) -> None:
        self.last_error: dict[str, Any] | None = None
        self.pages: list[str] = []


def error_content(error: BaseException, text: str | None = None) -> dict[str, Any]:
    if text is None:
        text = f"{type(error).__name__}: {error}"
    return {"ename": type(error).__name__, "evalue": str(error), "traceback": text.rstrip("\n").split("\n")}


class KernelDisplayPublisher:
    """The engine's DisplayPublisher for the kernel."""

    def __init__(self, iopub: IOPub, flush: Callable[[], None], current_count: Callable[[], int] = lambda: 0):
        self.iopub = iopub
        self._flush = flush
        self._current_count = current_count

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, *,
                transient: dict[str, Any] | None = None, update: bool = False) -> None:
        __tracebackhide__ = True
        self._flush()
        content: dict[str, Any] = {"data": data, "metadata": metadata or {}}
        if transient:
            content["transient"] = transient
        self.iopub.publish("update_display_data" if update else "display_data", self._json_ready(content))

    def publish_result(self, execution_count: int | None, data: dict[str, Any],
                       metadata: dict[str, Any] | None = None) -> None:
        __tracebackhide__ = True
        self._flush()
        if execution_count is None:  # store_history=False: the spec still wants a number
            execution_count = self._current_count()
        self.iopub.publish("execute_result", self._json_ready({"execution_count": execution_count, "data": data,
                                                               "metadata": metadata or {}}))

    def clear_output(self, wait: bool = False) -> None:
        self._flush()
        self.iopub.publish("clear_output", {"wait": bool(wait)})

    def _json_ready(self, content: dict[str, Any]) -> dict[str, Any]:
        __tracebackhide__ = True  # the error is the cell's: show the line that displayed, not this one
        from shell.kernel.bundles import dropped_warning, valid_bundle  # loads with the first result shown

        content["data"], dropped = valid_bundle(content["data"])
        if dropped:
            self.iopub.stream("stderr", dropped_warning("display data", dropped) + "\n")
        try:
            ready, replaced = json_ready(content)
        except NotJSONError as err:
            raise ValueError(f"display data can't be sent as JSON: {err}") from None
        if replaced:
            self.iopub.stream("stderr", nan_warning("display data", replaced) + "\n")
        return ready
