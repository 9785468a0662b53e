"""``python -m shell``: the same as the ``hocus`` command."""

from shell.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
