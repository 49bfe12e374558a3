"""publicservices' part in a citizen's privacy rights (citizens.signals): the data export, and what
erasing the account does to their dossiers.

Erasure: dossiers stay (an agency must keep its records of the procedures it carried out) but lose
the link to the account (applicant SET_NULL on delete) and the idempotency key that carries the
account's id. The applicant's name, phone and CCCD on the dossier are part of the agency's record
of the procedure and stay with it.
"""

from .models import Dossier


def _iso(value):
    return value.isoformat() if value else None


def export_sections(sender, user, **kwargs):
    dossiers = (
        Dossier.objects.filter(applicant=user).select_related("procedure", "agency").order_by("submitted_at", "pk")
    )
    return {
        "dossiers": [
            {
                "code": dossier.code,
                "procedure": dossier.procedure.name,
                "agency": dossier.agency.name,
                "status": dossier.status,
                "applicant_name": dossier.applicant_name,
                "applicant_phone": dossier.applicant_phone,
                "applicant_address": dossier.applicant_address,
                "applicant_id_number": dossier.applicant_id_number,
                "submitted_at": _iso(dossier.submitted_at),
                "due_at": _iso(dossier.due_at),
            }
            for dossier in dossiers
        ]
    }


def erase(sender, user, **kwargs):
    Dossier.objects.filter(applicant=user).update(idempotency_key=None)
