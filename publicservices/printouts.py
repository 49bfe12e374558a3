"""The printed forms of Thông tư 01/2018/TT-VPCP as HTML pages with print CSS, each with a QR of
the lookup page carrying the receipt's secret (scanning it opens the whole dossier):

- Mẫu 01 giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt),
- Mẫu 02 phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request),
- Mẫu 03 phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal),
- Mẫu 04 phiếu xin lỗi và hẹn lại ngày trả kết quả (apology).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import selectors
from .access import dossier_access
from .models import EventKind
from .qr import qr_svg

FORMS = {
    "tiep-nhan": ("01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), EventKind.RECEIVED),
    "bo-sung": ("02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), EventKind.SUPPLEMENT_ASKED),
    "tu-choi": ("03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), EventKind.REFUSED),
    "xin-loi": ("04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), EventKind.APOLOGY),
}


def render_printout(request, dossier, form):
    if form not in FORMS:
        raise Http404
    number, title, kind = FORMS[form]
    events = selectors.timeline(dossier)
    event = selectors.last_event(events, kind)
    if event is None:
        raise Http404
    documents = [f for f in selectors.files_of(dossier) if f.kind != "result"]
    lookup = request.build_absolute_uri(dossier.lookup_url())
    return render(
        request,
        "publicservices/printout.html",
        {
            "dossier": dossier,
            "form": form,
            "number": number,
            "title": title,
            "event": event,
            "documents": documents,
            "lookup_url": lookup,
            "qr": qr_svg(lookup),
        },
    )


def printout(request, code, form):
    """A printed form for the applicant."""
    access = dossier_access(request, code, allow_officer=False)
    return render_printout(request, access.dossier, form)
