"""The demo catalogue: the procedures the city put online first (DESIGN issue 9), by field.

Names are those of real, common procedures; codes, times, fees and documents are sample data
(every procedure is marked `is_sample`), to be replaced by `manage.py import_procedures` with the
national catalogue's file. Since the 2025 reorganisation the former district-level procedures are
carried out by the ward committees (agency empty: the applicant chooses the ward) or a city department.
"""

# field -> [(name, agency slug or None, processing days, online level, [documents])]
ID = "Bản sao giấy tờ tùy thân (CCCD) của người yêu cầu"
AUTH = "Văn bản ủy quyền (nếu nộp thay)"

CATALOGUE = {
    "Tư pháp": [
        (
            "Đăng ký khai sinh",
            None,
            1,
            "full",
            [("Tờ khai đăng ký khai sinh", True), ("Giấy chứng sinh hoặc giấy tờ thay thế", True), (AUTH, False)],
        ),
        (
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            None,
            1,
            "partial",
            [("Bản chính giấy tờ, văn bản cần chứng thực (ảnh chụp hoặc bản quét)", True), (ID, True)],
        ),
        (
            "Đăng ký khai sinh có yếu tố nước ngoài",
            None,
            3,
            "partial",
            [
                ("Tờ khai đăng ký khai sinh", True),
                ("Giấy chứng sinh", True),
                ("Văn bản thỏa thuận chọn quốc tịch cho con (nếu có)", False),
            ],
        ),
        (
            "Đăng ký kết hôn có yếu tố nước ngoài",
            None,
            10,
            "partial",
            [
                ("Tờ khai đăng ký kết hôn", True),
                ("Giấy xác nhận tình trạng hôn nhân", True),
                ("Giấy xác nhận không mắc bệnh tâm thần", True),
                (ID, True),
            ],
        ),
        (
            "Đăng ký khai tử có yếu tố nước ngoài",
            None,
            3,
            "partial",
            [("Tờ khai đăng ký khai tử", True), ("Giấy báo tử hoặc giấy tờ thay thế", True)],
        ),
        (
            "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
            None,
            3,
            "partial",
            [
                ("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", True),
                ("Giấy tờ làm căn cứ thay đổi, cải chính", True),
            ],
        ),
        (
            "Cấp bản sao trích lục hộ tịch",
            None,
            1,
            "full",
            [("Tờ khai cấp bản sao trích lục hộ tịch", True), (AUTH, False)],
        ),
        (
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            None,
            1,
            "partial",
            [("Giấy tờ, văn bản cần chứng thực chữ ký", True), (ID, True)],
        ),
        (
            "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
            None,
            2,
            "partial",
            [("Dự thảo hợp đồng, giao dịch", True), ("Giấy tờ chứng minh quyền sở hữu tài sản", True), (ID, True)],
        ),
        (
            "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
            None,
            12,
            "partial",
            [("Tờ khai đăng ký nhận cha, mẹ, con", True), ("Chứng cứ chứng minh quan hệ cha, mẹ, con", True)],
        ),
        (
            "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
            None,
            2,
            "partial",
            [("Hợp đồng, giao dịch đã được chứng thực", True), ("Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ", True)],
        ),
    ],
    "Nội vụ": [
        (
            "Đăng ký hoạt động tín ngưỡng",
            None,
            15,
            "partial",
            [("Văn bản đăng ký hoạt động tín ngưỡng", True), ("Danh mục hoạt động tín ngưỡng", True)],
        ),
        (
            "Đăng ký sinh hoạt tôn giáo tập trung",
            None,
            20,
            "partial",
            [("Văn bản đăng ký", True), ("Danh sách người tham gia sinh hoạt", True)],
        ),
        ("Thông báo danh mục hoạt động tôn giáo bổ sung", None, 10, "partial", [("Văn bản thông báo", True)]),
        (
            "Đăng ký tổ chức lễ hội",
            None,
            15,
            "partial",
            [("Văn bản đăng ký tổ chức lễ hội", True), ("Kế hoạch tổ chức lễ hội", True)],
        ),
        ("Thông báo tổ chức lễ hội", None, 5, "full", [("Văn bản thông báo tổ chức lễ hội", True)]),
        (
            "Công nhận ban vận động thành lập hội",
            None,
            30,
            "partial",
            [
                ("Đơn đề nghị công nhận ban vận động", True),
                ("Danh sách và sơ yếu lý lịch thành viên ban vận động", True),
            ],
        ),
        (
            "Tặng giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
            None,
            20,
            "partial",
            [("Tờ trình đề nghị khen thưởng", True), ("Báo cáo thành tích", True)],
        ),
        (
            "Xét tặng danh hiệu Lao động tiên tiến",
            None,
            20,
            "partial",
            [("Tờ trình đề nghị", True), ("Biên bản họp xét", True)],
        ),
    ],
    "Công thương": [
        (
            "Cấp Giấy phép bán lẻ sản phẩm rượu",
            None,
            10,
            "partial",
            [("Đơn đề nghị cấp giấy phép", True), ("Bản sao giấy chứng nhận đăng ký hộ kinh doanh", True)],
        ),
        (
            "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
            None,
            15,
            "partial",
            [("Đơn đề nghị cấp giấy phép", True), ("Bản sao giấy chứng nhận đăng ký hộ kinh doanh", True)],
        ),
        (
            "Cấp lại Giấy phép bán lẻ sản phẩm rượu",
            None,
            7,
            "partial",
            [("Đơn đề nghị cấp lại", True), ("Bản chính hoặc bản sao giấy phép đã cấp (nếu có)", False)],
        ),
    ],
    "Lao động – Thương binh và Xã hội": [
        (
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
            None,
            20,
            "partial",
            [("Tờ khai đề nghị trợ giúp xã hội", True), ("Bản sao giấy tờ liên quan đến đối tượng", True)],
        ),
        (
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
            None,
            5,
            "partial",
            [("Tờ khai đề nghị hỗ trợ chi phí mai táng", True), ("Bản sao giấy chứng tử", True)],
        ),
        (
            "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
            None,
            25,
            "partial",
            [
                ("Đơn đề nghị xác định mức độ khuyết tật", True),
                ("Bản sao hồ sơ, giấy tờ liên quan đến khuyết tật (nếu có)", False),
            ],
        ),
        ("Đổi, cấp lại Giấy xác nhận khuyết tật", None, 5, "full", [("Đơn đề nghị đổi, cấp lại", True)]),
        (
            "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn",
            None,
            5,
            "partial",
            [("Tờ khai đăng ký hoạt động", True), ("Bản sao quyết định thành lập", True)],
        ),
    ],
    "Thông tin và Truyền thông": [
        (
            "Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
            None,
            5,
            "partial",
            [("Đơn đề nghị cấp giấy chứng nhận", True), ("Bản sao giấy chứng nhận đăng ký kinh doanh", True)],
        ),
        (
            "Sửa đổi, bổ sung Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
            None,
            5,
            "partial",
            [("Đơn đề nghị sửa đổi, bổ sung", True)],
        ),
    ],
    "Giáo dục và Đào tạo": [
        (
            "Chuyển trường đối với học sinh trung học cơ sở",
            "so-giao-duc-va-dao-tao",
            3,
            "full",
            [("Đơn xin chuyển trường", True), ("Học bạ (bản chính)", True)],
        ),
        (
            "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú",
            "so-giao-duc-va-dao-tao",
            10,
            "partial",
            [("Đơn đề nghị hỗ trợ", True)],
        ),
        (
            "Cho phép trung tâm học tập cộng đồng hoạt động trở lại",
            "so-giao-duc-va-dao-tao",
            20,
            "partial",
            [("Tờ trình đề nghị", True), ("Báo cáo khắc phục", True)],
        ),
    ],
    "Kế hoạch và Đầu tư": [
        (
            "Đăng ký thành lập hộ kinh doanh",
            None,
            3,
            "full",
            [("Giấy đề nghị đăng ký hộ kinh doanh", True), (ID, True)],
        ),
        (
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
            None,
            3,
            "full",
            [("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", True)],
        ),
        (
            "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh",
            None,
            3,
            "full",
            [("Thông báo tạm ngừng hoặc tiếp tục kinh doanh", True)],
        ),
        (
            "Chấm dứt hoạt động hộ kinh doanh",
            None,
            3,
            "full",
            [
                ("Thông báo chấm dứt hoạt động hộ kinh doanh", True),
                ("Bản gốc giấy chứng nhận đăng ký hộ kinh doanh", True),
            ],
        ),
        ("Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", None, 3, "full", [("Giấy đề nghị cấp lại", True)]),
    ],
    "Tài nguyên và Môi trường": [
        (
            "Đăng ký kế hoạch bảo vệ môi trường",
            "so-nong-nghiep-va-moi-truong",
            10,
            "partial",
            [("Văn bản đăng ký kế hoạch bảo vệ môi trường", True), ("Kế hoạch bảo vệ môi trường", True)],
        ),
    ],
}

FIELD_SLUGS = {
    "Tư pháp": "tu-phap",
    "Nội vụ": "noi-vu",
    "Công thương": "cong-thuong",
    "Lao động – Thương binh và Xã hội": "lao-dong-thuong-binh-xa-hoi",
    "Thông tin và Truyền thông": "thong-tin-truyen-thong",
    "Giáo dục và Đào tạo": "giao-duc-dao-tao",
    "Kế hoạch và Đầu tư": "ke-hoach-dau-tu",
    "Tài nguyên và Môi trường": "tai-nguyen-moi-truong",
}
