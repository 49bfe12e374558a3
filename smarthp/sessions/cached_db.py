from django.contrib.sessions.backends import cached_db

from . import CompiledRead


class SessionStore(CompiledRead, cached_db.SessionStore):
    pass
