from django.contrib.sessions.backends import db

from . import CompiledRead


class SessionStore(CompiledRead, db.SessionStore):
    pass
