"""The portal's authentication backends: Django's and allauth's, with the read of who is signed in
(every signed-in request's second query) compiled once and run prepared (smarthp.sql), with the
count of their unread notices and their officer roles (as of the request's start).

Sessions name the backend that signed them in; these are the only two the settings list, so every
session names one of them (sessions signed by Django's or allauth's own classes, before these, end
once: the person signs in again).
"""

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from smarthp.sql import Compiled, id_marker


def _signed_in(pk):
    from government import access
    from notices import selectors as notices

    # In the same round trip, what every page of theirs needs: the bell's count of unread notices
    # (notices.selectors.unread_count) and, for the officer site, their roles and second factor
    # (government.access).
    users = get_user_model()._default_manager.filter(pk=pk).order_by()
    return users.annotate(**notices.signed_in_annotations(), **access.signed_in_annotations())


_by_id = Compiled(_signed_in, pk=id_marker())


class CompiledUserRead:
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _by_id.instances(pk=pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None


class ModelBackend(CompiledUserRead, backends.ModelBackend):
    pass


class AuthenticationBackend(CompiledUserRead, auth_backends.AuthenticationBackend):
    pass
