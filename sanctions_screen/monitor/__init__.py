"""Ongoing monitoring: a customer file screened again at every list update, as a change to the
last run (new and changed customers against the whole lists, the others against the entries that
changed), with its open alerts and changes kept in a state folder.

>>> # from sanctions_screen import monitor
>>> # r = monitor.run("customers.csv", lists, state="monitor", name_column="name", id_column="id")
"""

from __future__ import annotations

from .models import CHANGE_SCHEMA, Alert, AlertChange, MonitorRun
from .run import open_alerts, run

__all__ = ["CHANGE_SCHEMA", "Alert", "AlertChange", "MonitorRun", "open_alerts", "run"]
