"""A report's photos as officers see them (hidden ones included)."""

from django.http import Http404

from .. import photos as photo_pipeline
from ..models import (
    ReportPhoto,
)
from .common import (
    _workspace_report,
    pakn_required,
)


@pakn_required
def photo(request, code, pk, size="full"):
    """A report or answer photo for the officers who may see the report, hidden or draft ones too."""
    report = _workspace_report(request, code)
    item = ReportPhoto.objects.filter(report=report, pk=pk).first()
    if item is None:
        raise Http404
    return photo_pipeline.serve(item, size)
