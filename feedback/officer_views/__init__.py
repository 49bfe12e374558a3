"""The officer site for PAKN reports (/can-bo/phan-anh/): the agency queue, a report's workspace, the
1022 centre's triage queue, city-wide board, phone intake and caller lookup, and the figures.

Views are thin: reads go through feedback.officer_access (what this person may see: anything else is
a 404), writes through feedback.services (which check roles and states again and log every step).
Split by concern; feedback/officer_urls.py takes the views from here.
"""

from .centre import board, intake, lookup, triage
from .figures import figures, figures_export
from .photos import photo
from .queue import queue
from .workspace import ACTIONS, act, correct, redact, workspace

__all__ = [
    "ACTIONS",
    "act",
    "board",
    "correct",
    "figures",
    "figures_export",
    "intake",
    "lookup",
    "photo",
    "queue",
    "redact",
    "triage",
    "workspace",
]
