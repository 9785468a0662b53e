"""``%connect_info`` in a real kernel process: what ``jupyter console --existing`` needs (issue 15).

The expected text is ipykernel's (``KernelMagics.connect_info``): the
connection file's JSON, a blank line, then how to connect with
``jupyter <app> --existing``.
"""

from __future__ import annotations

import json
from pathlib import Path

from kernel_client import execute, stdout_of


def test_connect_info_prints_the_connection_file_and_a_second_client_can_use_it(kernel, kc, tmp_path):
    km = kernel[0]
    reply, outputs = execute(kc, "%connect_info")
    assert reply["status"] == "ok"
    text = stdout_of(outputs)
    json_part, _, instructions = text.partition("\n\n")
    info = json.loads(json_part)
    on_disk = json.loads(Path(km.connection_file).read_text())
    assert info == on_disk
    # ipykernel 7's wording, line for line
    assert instructions.splitlines()[:2] == ["Paste the above JSON into a file, and connect with:",
                                             "    $> jupyter <app> --existing <file>"]
    named = instructions.splitlines()[3].removeprefix("    $> jupyter <app> --existing ")
    from jupyter_core.paths import jupyter_runtime_dir

    # the bare name when the file is in Jupyter's runtime folder (where --existing looks), else its path
    assert Path(jupyter_runtime_dir(), named).resolve() == Path(km.connection_file).resolve()
    assert instructions.rstrip().endswith("if this is the most recent Jupyter kernel you have started.")

    from jupyter_client import BlockingKernelClient

    pasted = tmp_path / "pasted.json"
    pasted.write_text(json_part)
    second = BlockingKernelClient(connection_file=str(pasted))
    second.load_connection_file()
    second.start_channels()
    try:
        second.wait_for_ready(timeout=60)
        reply, outputs = execute(second, "print('second client', 6 * 7)")
        assert reply["status"] == "ok" and stdout_of(outputs) == "second client 42\n"
    finally:
        second.stop_channels()
