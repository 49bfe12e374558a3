"""The consent texts shown at sign-up and on the privacy page, each with a version.

Changing a text means a new version: consents are recorded against the version the citizen saw.
"""

from django.utils.translation import gettext_lazy as _

from .models import ConsentPurpose

CONSENT_TEXTS = {
    ConsentPurpose.PROCESSING: {
        "version": "2025-07-01",
        "label": _(
            "Tôi đồng ý cho cơ quan nhà nước thành phố Hải Phòng sử dụng thông tin cá nhân của tôi để xử lý phản ánh, kiến nghị và hồ sơ do tôi gửi."  # noqa: E501
        ),
        "help": _("Họ tên, số điện thoại và địa chỉ chỉ được chuyển cho cơ quan xử lý phản ánh, hồ sơ của bạn."),
    },
    ConsentPurpose.NOTICES: {
        "version": "2025-07-01",
        "label": _(
            "Tôi đồng ý nhận thông báo của thành phố (tin nhắn, thông báo trên ứng dụng) về tình hình xử lý, lịch cắt điện, nước và tin tức khu vực tôi sống."  # noqa: E501
        ),
        "help": _("Bạn có thể thay đổi lựa chọn này bất cứ lúc nào trong mục Quyền riêng tư."),
    },
    ConsentPurpose.CAMPAIGN_LIST: {
        "version": "2026-12-01",
        "label": _(
            "Tôi đồng ý để phường, xã nơi tôi ở (hoặc cơ quan nơi tôi làm việc) ghi họ tên, số điện thoại và địa chỉ của tôi vào danh sách cài đặt ứng dụng Smart Hải Phòng."  # noqa: E501
        ),
        "help": _(
            "Không đồng ý thì bạn vẫn được tính vào số hộ đã cài đặt, chỉ không có tên trong danh sách. Bạn có thể thay đổi bất cứ lúc nào trong mục Quyền riêng tư."  # noqa: E501
        ),
    },
}
