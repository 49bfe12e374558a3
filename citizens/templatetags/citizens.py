from django import template

from citizens.phones import display_phone

register = template.Library()


@register.filter
def phone_display(value):
    """+84912345678 → 0912 345 678."""
    return display_phone(value)


@register.filter
def is_officer(user):
    """Whether `user` holds an active agency membership (one query)."""
    from government.access import memberships_of

    return memberships_of(user).exists()
