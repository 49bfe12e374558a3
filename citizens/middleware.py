"""Turns a refused SMS code that escaped a form's own check into a message on the same page.

Forms check the SMS limits before anything is saved, so this only catches the rare request that
lost a race for the last unit (or a limit reached in the middle of a flow, such as a password
sign-in whose phone still needs verifying).
"""

from allauth.core.exceptions import RateLimited
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from .limits import SmsLimitReached


class SmsLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if isinstance(exception, SmsLimitReached):
            text = exception.message
        else:
            text = _("Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại.")
        messages.error(request, text)
        return HttpResponseRedirect(request.get_full_path())
