"""``SqlMagic``: the settings of ``%sql``, under ``%config`` and in ``$HOCUS_DIR/config.py``.

::

    %config SqlMagic.displaylimit = 20      # rows shown of a result (0: all)
    %config SqlMagic.autolimit = 1000       # rows fetched at most (0: all)
    c.SqlMagic.feedback = False             # in config.py: no "3 rows affected."
"""

from __future__ import annotations

from traitlets import Bool, Int
from traitlets.config import Configurable


class SqlMagic(Configurable):
    """Settings of the ``%sql`` and ``%%sql`` magics."""

    displaylimit = Int(10, help="Rows of a result shown in its table (0: all of them).").tag(config=True)
    autolimit = Int(0, help="Rows fetched of a result at most (0: all of them).").tag(config=True)
    feedback = Bool(True, help="Say how many rows a statement changed ('3 rows affected.').").tag(config=True)
