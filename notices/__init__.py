"""Notices: the one pipeline by which every app tells a person something (in-site notice + SMS).

An app of its own, below the feature apps and above accounts: reports, dossiers, ward notices,
outages and campaigns all call `notices.services.notify`; none keeps a copy of this machinery. It
knows no feature: an app hands it the recipients, the text, the object's URL and a source key. It is
not a module of `citizens/` because it owns tables, a page, tasks and a sweeper of its own, and
accounts should not change when a new kind of notice arrives.

The guarantees (DESIGN §2, "Notices"):
- written in the caller's transaction: a notice row is the outbox, so the state that asks for a
  notice and the notice commit together or not at all;
- SMS queued on commit, claimed by the sender in the same transaction that records the message,
  so a worker killed at any line sends each SMS at most once; the sweeper queues again every SMS
  still unsent a minute later (the broker lost the message, or was down);
- once per (person, source): a redelivered fan-out creates nothing new;
- the city-wide daily SMS cap (citizens.sms) and consent to notices (ConsentPurpose.NOTICES) for
  everything the person did not ask for themselves.
"""
