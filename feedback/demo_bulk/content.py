"""Where the demo's reports are filed and what they say: the wards and their streets, the categories
with their titles, where 1022 sends what no rule routes, the answers, reasons, comments and scores."""

from ..models import Satisfaction

# The central wards with a seat (government/data/unit-seats.csv): (share of the reports, streets).
WARDS = {
    "11383": (90, ["Lạch Tray", "Tô Hiệu", "Hai Bà Trưng", "Cầu Đất", "Nguyễn Đức Cảnh", "Hàng Kênh", "Dư Hàng"]),
    "11329": (13, ["Lê Lợi", "Lạch Tray", "Lương Khánh Thiện", "Trần Phú", "Đà Nẵng", "Lê Lai"]),
    "11311": (12, ["Hoàng Văn Thụ", "Điện Biên Phủ", "Minh Khai", "Hùng Vương", "Bạch Đằng", "Tam Bạc"]),
    "11413": (11, ["Lê Hồng Phong", "Ngô Gia Tự", "Cát Bi", "Trung Lực", "Thành Tô"]),
    "11359": (8, ["Văn Cao", "Nguyễn Bình", "Đằng Giang", "Cầu Tre", "Lê Lợi"]),
    "11407": (8, ["Nguyễn Văn Linh", "Tôn Đức Thắng", "Lam Sơn", "Hồ Sen", "Cát Cụt"]),
    "11443": (8, ["Trần Thành Ngọ", "Trần Nhân Tông", "Phan Đăng Lưu", "Lê Duẩn", "Cao Toàn"]),
    "11411": (6, ["Đà Nẵng", "Lê Thánh Tông", "Đông Hải", "Ngô Quyền"]),
    "11692": (4, ["Phạm Văn Đồng", "Mạc Đăng Doanh", "Hải Thành"]),
}

# category slug: (share, [(title, description), ...]); {street} is the street of the report.
CATEGORIES = {
    "duong-he-pho": (
        12,
        [
            (
                "Ổ gà lớn trên đường {street}",
                "Mặt đường có nhiều ổ gà sâu, xe máy đi qua rất dễ ngã, nhất là khi trời mưa.",
            ),
            (
                "Hè phố {street} bị sụt lún",
                "Một đoạn hè dài khoảng 10 m bị sụt, gạch vỡ, người đi bộ phải xuống lòng đường.",
            ),
            ("Nắp hố ga trên phố {street} bị vỡ", "Nắp hố ga giữa đường bị vỡ một góc, ban đêm rất nguy hiểm."),
        ],
    ),
    "ngap-ung-thoat-nuoc": (
        8,
        [
            (
                "Ngập sâu sau mưa ở phố {street}",
                "Mỗi trận mưa to nước ngập 30–40 cm, tràn vào nhà dân; cống thoát bị tắc.",
            ),
            ("Cống thoát nước phố {street} bốc mùi", "Cống hở không có nắp đậy, rác ùn ứ, mùi hôi suốt ngày."),
        ],
    ),
    "chieu-sang": (
        8,
        [
            ("Đèn đường phố {street} không sáng", "Một dãy cột đèn tắt nhiều đêm liền, đoạn đường rất tối."),
            (
                "Đèn chiếu sáng ngõ phố {street} hỏng",
                "Đèn trong ngõ hỏng hơn hai tuần, người dân đi lại buổi tối không an toàn.",
            ),
        ],
    ),
    "cay-xanh": (
        5,
        [
            ("Cây xanh nghiêng nguy hiểm trên phố {street}", "Cây lớn bị nghiêng sau mưa bão, rễ bật lên vỉa hè."),
            ("Cành cây khô trên phố {street} có thể gãy", "Nhiều cành khô lớn vươn ra lòng đường, cần cắt tỉa sớm."),
        ],
    ),
    "dien": (
        5,
        [
            ("Dây điện sà thấp trên phố {street}", "Dây điện võng thấp ngang đầu người, xe tải đi qua có thể vướng."),
            ("Mất điện kéo dài ở khu phố {street}", "Khu dân cư mất điện từ sáng, chưa thấy thông báo lịch cắt điện."),
        ],
    ),
    "cap-nuoc": (
        4,
        [
            ("Vỡ ống nước trên phố {street}", "Ống nước vỡ, nước chảy tràn mặt đường nhiều giờ liền."),
            ("Nước sinh hoạt yếu ở phố {street}", "Nước máy chảy rất yếu vào buổi tối, các tầng trên không có nước."),
        ],
    ),
    "den-tin-hieu": (
        3,
        [
            (
                "Đèn tín hiệu ngã tư {street} hỏng",
                "Đèn giao thông nhấp nháy vàng cả ngày, xe cộ tranh nhau đi rất nguy hiểm.",
            ),
        ],
    ),
    "trat-tu-do-thi": (
        10,
        [
            (
                "Lấn chiếm vỉa hè kinh doanh trên phố {street}",
                "Quán ăn bày bàn ghế kín vỉa hè, người đi bộ phải đi dưới lòng đường.",
            ),
            ("Xây dựng lấn ra lòng đường ở phố {street}", "Một hộ dân dựng mái che và bục bê tông lấn ra mặt đường."),
        ],
    ),
    "ve-sinh-moi-truong": (
        10,
        [
            (
                "Rác thải đổ trộm ở phố {street}",
                "Có người đổ trộm rác thải xây dựng vào ban đêm, bốc mùi và lấn ra lòng đường.",
            ),
            ("Điểm tập kết rác phố {street} quá tải", "Rác để qua đêm không được thu gom, chó mèo bới tung ra vỉa hè."),
        ],
    ),
    "an-ninh-trat-tu": (
        4,
        [
            (
                "Tụ tập gây ồn ào ban đêm ở phố {street}",
                "Nhóm thanh niên tụ tập, rú ga xe máy sau 23 giờ nhiều đêm liền.",
            ),
            (
                "Karaoke gây ồn quá giờ ở phố {street}",
                "Quán karaoke mở loa lớn đến 1–2 giờ sáng, ảnh hưởng giấc ngủ người dân.",
            ),
        ],
    ),
    "an-toan-thuc-pham": (
        2,
        [
            (
                "Cơ sở chế biến thực phẩm mất vệ sinh ở phố {street}",
                "Cơ sở làm giò chả xả nước thải ra rãnh chung, nghi dùng hàn the.",
            ),
        ],
    ),
    "giao-duc": (
        2,
        [
            (
                "Thu tiền ngoài quy định ở trường học phố {street}",
                "Phụ huynh được đề nghị nộp nhiều khoản ngoài quy định đầu năm học.",
            ),
        ],
    ),
    "van-hoa-du-lich": (
        1,
        [
            (
                "Biển quảng cáo sai quy định trên phố {street}",
                "Nhiều biển quảng cáo che khuất biển báo giao thông và lối đi.",
            ),
        ],
    ),
    "gop-y-quy-hoach": (
        2,
        [
            (
                "Đề xuất làn xe đạp trên phố {street}",
                "Đề nghị bố trí làn xe đạp để người dân đi lại và tập thể dục an toàn hơn.",
            ),
            (
                "Đề nghị thêm vườn hoa, sân chơi gần phố {street}",
                "Khu dân cư đông nhưng thiếu chỗ vui chơi cho trẻ em.",
            ),
        ],
    ),
    "gop-y-cai-cach-hanh-chinh": (
        2,
        [
            (
                "Góp ý về giờ tiếp dân của phường",
                "Đề nghị bộ phận một cửa làm thêm sáng thứ Bảy cho người đi làm hành chính.",
            ),
        ],
    ),
    "gop-y-khac": (
        1,
        [
            ("Đề nghị lắp thêm ghế đá ven phố {street}", "Người cao tuổi đi bộ buổi sáng không có chỗ nghỉ chân."),
        ],
    ),
    "ho-so-tre-han": (
        3,
        [
            (
                "Hồ sơ cấp giấy chứng nhận bị trễ hẹn",
                "Hồ sơ đã quá ngày hẹn trả nhưng chưa nhận được kết quả hay thông báo.",
            ),
        ],
    ),
    "thai-do-can-bo": (
        2,
        [
            (
                "Phản ánh thái độ cán bộ tiếp nhận hồ sơ",
                "Cán bộ trả lời thiếu tôn trọng và không hướng dẫn rõ giấy tờ cần bổ sung.",
            ),
        ],
    ),
    "chi-dao-lanh-dao": (
        1,
        [
            (
                "Chậm thực hiện kết luận về cải tạo phố {street}",
                "Thành phố đã chỉ đạo cải tạo vỉa hè từ quý trước nhưng chưa triển khai.",
            ),
        ],
    ),
}
# Quick fixes of the current month's first days: categories a ward or a utility answers within hours.
FRESH_CATEGORIES = ["duong-he-pho", "chieu-sang", "cay-xanh", "dien", "cap-nuoc", "ve-sinh-moi-truong"]
URGENT_CATEGORIES = {"dien", "cap-nuoc", "cay-xanh", "ngap-ung-thoat-nuoc", "den-tin-hieu"}

# No rule routes these (1022 triages them): where the centre sends them, "ward" for the ward's committee.
TRIAGED_TO = {"gop-y-quy-hoach": "so-xay-dung"}
# Where the centre re-routes a report a ward returned as not its competence, by top-level category.
RETURNED_TO = {"su-co-ha-tang-ky-thuat": "so-xay-dung", "kinh-te-van-hoa-xa-hoi": "so-nong-nghiep-va-moi-truong"}

ANSWERS = [
    "Đơn vị đã kiểm tra hiện trường và chỉ đạo khắc phục xong. Cảm ơn ông/bà đã phản ánh.",
    "Đã giao tổ công tác xử lý, lập biên bản và yêu cầu khắc phục; đơn vị sẽ tiếp tục kiểm tra thường xuyên.",
    "Nội dung phản ánh đúng. Đơn vị đã phối hợp với các bên liên quan xử lý dứt điểm trong tuần.",
    "Đơn vị đã tiếp thu ý kiến và đưa vào kế hoạch thực hiện; kết quả sẽ được thông báo công khai.",
]
RETURN_REASONS = [
    "Tuyến đường do thành phố quản lý, không thuộc thẩm quyền của phường.",
    "Nội dung thuộc lĩnh vực của sở chuyên ngành, đề nghị Trung tâm 1022 chuyển đúng đơn vị.",
]
REJECT_REASONS = [
    "Nội dung là khiếu nại, đề nghị công dân gửi theo thủ tục giải quyết khiếu nại.",
    "Phản ánh trùng nội dung đã được trả lời, không có thông tin mới.",
    "Nội dung không đủ thông tin để xác minh (không rõ địa điểm).",
]
REOPEN_REASONS = [
    "Sau vài ngày tình trạng vẫn như cũ, đề nghị kiểm tra lại.",
    "Mới khắc phục tạm, hôm qua lại hỏng như trước.",
]
RATING_COMMENTS = ["", "", "Xử lý nhanh, cảm ơn phường.", "Cảm ơn cán bộ.", "Chưa triệt để."]
SCORES = [Satisfaction.VERY_SATISFIED] * 5 + [Satisfaction.SATISFIED] * 4 + [Satisfaction.UNSATISFIED]
LATE_SCORES = [Satisfaction.VERY_SATISFIED] + [Satisfaction.SATISFIED] * 3 + [Satisfaction.UNSATISFIED] * 3
