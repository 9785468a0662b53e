"""``%sql`` and ``%%sql``: databases from the shell (see ``magic.py``; docs/sql.md).

- ``magic``: the magics — parsing the line, connecting, running statements;
- ``connections``: the stdlib SQLite connection, SQLAlchemy ones, and their registry;
- ``statements``: where statements end, by the database's grammar (triggers and blocks kept whole);
- ``params``: ``:name`` parameters and ``{{expr}}`` interpolation;
- ``resultset``: :class:`ResultSet`, the table a query returns;
- ``names``: table and column names for completion inside ``%sql``/``%%sql``;
- ``config``: the ``SqlMagic`` settings (``displaylimit``, ``autolimit``);
- ``errors``: one-line SQL errors.

Nothing here is imported at start-up; SQLAlchemy is imported on the first
non-SQLite connection.
"""
