"""Signals through which other apps take part in a citizen's privacy rights.

- `personal_data_requested(sender=User, user=…)`: each receiver returns a dict of sections to add to
  the citizen's data export, e.g. {"reports": [...]}. Values must be JSON-serialisable.
- `account_erasing(sender=User, user=…)`: sent inside the erase transaction, before the user row is
  deleted. Receivers remove or anonymise their app's personal data about the user (for example the
  contact name and phone kept on a report). Rows that must outlive the account and point to the
  user with on_delete=SET_NULL (a report's reporter) are anonymised by the deletion itself.
"""

from django.dispatch import Signal

personal_data_requested = Signal()
account_erasing = Signal()
