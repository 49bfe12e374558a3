"""Who may see a dossier in full: its applicant (signed in, or holding the receipt's secret) and the
officers of the receiving agency. Anyone else gets a 404, never a 403 that confirms it exists."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Dossier
from .selectors import officer_holds
from .services.citizen import is_applicant


@dataclass
class DossierAccess:
    dossier: Dossier
    applicant: bool
    officer: bool
    secret: str = ""


def secret_of(request):
    return (request.POST.get("k") or request.GET.get("k") or "")[:40]


def dossier_access(request, code, *, allow_officer=True):
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "procedure__field", "agency", "holder"), code=code
    )
    secret = secret_of(request)
    applicant = is_applicant(dossier, user=request.user, secret=secret)
    officer = False
    if not applicant and allow_officer and request.user.is_authenticated:
        officer = officer_holds(request.user, dossier)
    if not (applicant or officer):
        raise Http404
    return DossierAccess(dossier=dossier, applicant=applicant, officer=officer, secret=secret if applicant else "")
