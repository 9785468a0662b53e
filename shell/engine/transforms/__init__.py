"""A cell's way in: IPython syntax to plain Python (:mod:`.syntax`) calling the engine's hook
(:mod:`.hook`), ``$name``/``{expr}`` expansion (:mod:`.expansion`), transforms registered from
outside (:mod:`.cell_hooks`), and whether a cell is complete (:mod:`.completeness`)."""
