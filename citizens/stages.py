"""allauth login stages adapted to the portal."""

from allauth.account import stages
from allauth.account.adapter import get_adapter


class PhoneVerificationStage(stages.PhoneVerificationStage):
    """allauth's phone verification step, letting accounts without any phone number through.

    A phone number is required to sign up, so every citizen has one; accounts that administrators
    create (officers, staff) may have none, and allauth would refuse them at this step. Their
    second factor is TOTP instead.
    """

    def handle(self):
        if self.login.user is not None and get_adapter().get_phone(self.login.user) is None:
            return None, True
        return super().handle()
