"""The demo's past six months: a few hundred PAKN reports in the central wards, each living a life
reports live (routed, or triaged by 1022 first; accepted; answered after the leader's approval;
rated; closed; some returned, rejected, reopened, overdue, still waiting), so that the officers'
queues, the 1022 board and the figures with their charts show something on the first start.

Written in bulk (one bulk_create per table, no service calls: a few hundred `submit_report` calls
would take a minute), so this package does by hand what the services would have done, and keeps to
their rules: every step is a ReportEvent at its own time in the past, and every deadline counts from
the step that started its clock, with the category's policy and the working-day calendar
(feedback.deadlines), exactly as the services count it. Lives are random but repeatable: a fixed
seed, "now" read once.

Loaded once: the reports carry the BULK_KEY_PREFIX idempotency key, and a load that finds them adds
nothing. Their tracking codes come from the portal's own yearly counter, so a report filed later
never meets one of them. The demo citizens who filed them (demo-citizen-01...) have no phone and no
usable password: nobody signs in as them, no text message goes out, and every step counts as
notified already. Some chose to keep their report private, some to hide their name from the agency.

benchmarks/fillers.py fills at scale in the same way (and its name lists started these); the
portal never imports the benchmarks, so what the demo needs lives here.

The package, by concern: content (where the reports are filed and what they say), people (the demo
citizens), timeline (when things happen), world (what every life reads, read once), lives (one
report's steps) and loading (the bulk writes).
"""

from .loading import BULK_KEY_PREFIX, FRESH, REPORTS, SEED, keeping_given_times, load
from .people import CITIZEN_PREFIX, CITIZENS, demo_citizens, person_name
from .timeline import DAYS, STALL_DAYS

__all__ = [
    "BULK_KEY_PREFIX",
    "CITIZENS",
    "CITIZEN_PREFIX",
    "DAYS",
    "FRESH",
    "REPORTS",
    "SEED",
    "STALL_DAYS",
    "demo_citizens",
    "keeping_given_times",
    "load",
    "person_name",
]
