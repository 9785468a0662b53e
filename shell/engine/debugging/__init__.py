"""The debugger of ``%debug``, ``%pdb`` and ``breakpoint()``.

:mod:`.debugger` is the debugger itself (pdb, with source shown coloured
and in context, hocus's own frames left out, commands read through a front
end's prompt); :mod:`.session` is how a Shell opens it (post-mortem, the
``breakpoint()`` hook while a cell runs, the debugger ``%debug statement``
runs code under); :mod:`.displayhook` shows a value typed at a debugger's
prompt in that thread's debugger, however many are open. Nothing here is imported until a debugger is wanted, but
the hook's few lines: pdb loads with the first debugger.
"""
