"""Rich display in the engine: objects to MIME bundles (:mod:`.formatting`), the pretty printer
for ``text/plain`` (:mod:`.pretty`), printers registered per type (:mod:`.printer_registry`), and
``display()``/``update_display()``/``clear_output()`` for one shell (:mod:`.displayer`), and the
folder where pictures and figures shown as files are saved (:mod:`.scratch`)."""
