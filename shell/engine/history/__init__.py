"""Persistent history: the store a session reads and writes (:mod:`.store`), the SQLite file
whatever state it is in (:mod:`.database`, :mod:`.schema`), the writer thread that keeps the
prompt fast and loses nothing at exit (:mod:`.writer`), and range strings such as ``~1/1-5``
(:mod:`.ranges`)."""
