"""Third-party magics announced through the ``hocus.magics`` entry point group.

A package declares, in its ``pyproject.toml``::

    [project.entry-points."hocus.magics"]
    hello = "hello_magics:HelloMagics"     # a Magics class, or a marked function

The entry point's name is the magic's name; its value is imported only
when the magic is first used. Reading the entry points themselves is
deferred too (see :meth:`MagicRegistry.add_finder`), because scanning the
installed packages costs tens of milliseconds that start-up should not pay.
"""

from __future__ import annotations

from typing import Callable

from magics.registry import MagicRegistry

GROUP = "hocus.magics"


def register_entry_point_magics(registry: MagicRegistry, warn: Callable[[str], None] | None = None) -> None:
    """Register every ``hocus.magics`` entry point lazily, as both line and cell candidates."""
    from importlib.metadata import entry_points

    try:
        found = entry_points(group=GROUP)
    except Exception as err:  # a broken installed distribution must not break the shell
        if warn:
            warn(f"Warning: could not read {GROUP} entry points: {err}\n")
        return
    for ep in found:
        for kind in ("line", "cell"):
            registry.register_lazy(kind, ep.name, ep.value, optional=True)
