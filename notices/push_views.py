"""A browser's Web Push subscription: kept or forgotten at the person's request (static/pwa/push.js
posts the browser's PushSubscription as JSON). Writes go through notices.push."""

import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import push

MAX_BODY_BYTES = 4096


def _subscription(request):
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("keys", {}), dict):
        return None
    return data


def _refused(message, status=400):
    return JsonResponse({"ok": False, "message": message}, status=status)


@login_required
@require_POST
def subscribe(request):
    data = _subscription(request)
    if data is None:
        return _refused(_("Thông tin đăng ký thông báo đẩy không hợp lệ. Vui lòng thử lại."))
    keys = data.get("keys") or {}
    try:
        push.subscribe(
            user=request.user,
            endpoint=data.get("endpoint"),
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            device=request.headers.get("User-Agent", "")[:100],
        )
    except push.PushError as exc:
        return _refused(exc.message)
    return JsonResponse({"ok": True, "message": _("Điện thoại này sẽ nhận thông báo của bạn.")}, status=201)


@login_required
@require_POST
def unsubscribe(request):
    data = _subscription(request)
    if data is None:
        return _refused(_("Thông tin đăng ký thông báo đẩy không hợp lệ. Vui lòng thử lại."))
    push.unsubscribe(user=request.user, endpoint=data.get("endpoint"))
    return JsonResponse({"ok": True, "message": _("Điện thoại này không nhận thông báo đẩy nữa.")})
