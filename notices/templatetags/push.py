from django import template

from notices import push

register = template.Library()


@register.simple_tag
def push_public_key():
    """The VAPID public key browsers subscribe with; "" when Web Push is off (the button stays hidden)."""
    return push.public_key()
