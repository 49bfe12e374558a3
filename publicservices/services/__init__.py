"""Every write of publicservices. Views, the API, tasks and commands call these functions.

- submission: dossier codes, phone confirmation by SMS, submitting a dossier;
- desk: the one-stop desk and the processing unit's steps (receive, supplement, refuse, hand over,
  fees, finish, return, apology, stop);
- citizen: supplying documents, withdrawing, rating;
- catalogue: importing procedures from the national catalogue's JSON.
"""

from .citizen import rate, supply, withdraw
from .common import DossierActionError
from .desk import (
    apologise,
    ask_fees,
    ask_supplement,
    fees_paid,
    finish,
    hand_over,
    receive,
    refuse,
    return_result,
    stop,
)
from .submission import confirm_phone, next_dossier_code, send_phone_code, submit_dossier

__all__ = [
    "DossierActionError",
    "apologise",
    "ask_fees",
    "ask_supplement",
    "confirm_phone",
    "fees_paid",
    "finish",
    "hand_over",
    "next_dossier_code",
    "rate",
    "receive",
    "refuse",
    "return_result",
    "send_phone_code",
    "stop",
    "submit_dossier",
    "supply",
    "withdraw",
]
