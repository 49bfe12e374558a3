"""Published formats of the codes a citizen may add to their profile.

Each validator takes the text as typed (spaces allowed), raises ValidationError with a message that
says what the format is, and returns the normalised value (no spaces, upper case).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of the place of birth registration that open a 12-digit citizen ID number
# (Thông tư 59/2021/TT-BCA, phụ lục: the 63 provinces before the 2025 merger; numbers issued keep them).
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

# Weights of the check digit of a 10-digit tax code (mã số thuế), digit 1 to 9.
_MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _compact(value):
    return re.sub(r"[\s.]", "", value or "").upper()


def cccd_birth_facts(number):
    """(century start year, is_female, two-digit year) encoded in digits 4-6 of a CCCD number.

    Digit 4: 0/1 born 1900-1999 (male/female), 2/3 born 2000-2099, 4/5 2100s and so on.
    """
    marker = int(number[3])
    century = 1900 + 100 * (marker // 2)
    return century, marker % 2 == 1, int(number[4:6])


def validate_citizen_id(value):
    """Căn cước công dân / căn cước: 12 digits, opening with a province code."""
    number = _compact(value)
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(
            _("Số CCCD (căn cước) gồm đúng 12 chữ số, in ở mặt trước thẻ. Bạn đã nhập %(count)s ký tự."),
            code="cccd_format",
            params={"count": len(number)},
        )
    if number[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; “%(code)s” không phải mã tỉnh."),
            code="cccd_province",
            params={"code": number[:3]},
        )
    return number


def check_citizen_id_against(number, *, date_of_birth=None, gender=None):
    """Errors (as a list of ValidationError) when a CCCD number disagrees with the birth year or gender given."""
    century, is_female, year = cccd_birth_facts(number)
    errors = []
    if date_of_birth and (
        date_of_birth.year < century or date_of_birth.year >= century + 100 or date_of_birth.year % 100 != year
    ):
        errors.append(
            ValidationError(
                _(
                    "Số CCCD không khớp với năm sinh %(year)s: chữ số thứ 4 đến 6 của số CCCD mã hóa thế kỷ và năm sinh."  # noqa: E501
                ),
                code="cccd_year",
                params={"year": date_of_birth.year},
            )
        )
    if gender in ("male", "female") and (gender == "female") != is_female:
        errors.append(
            ValidationError(
                _("Số CCCD không khớp với giới tính đã chọn: chữ số thứ 4 của số CCCD mã hóa giới tính."),
                code="cccd_gender",
            )
        )
    return errors


def validate_tax_code(value):
    """Mã số thuế: 10 digits (with a check digit), 10 digits + '-' + 3 for a branch, or, since
    1 July 2025, an individual's 12-digit personal identification number."""
    code = _compact(value)
    if re.fullmatch(r"\d{12}", code):
        return validate_citizen_id(code)
    match = re.fullmatch(r"(\d{10})(?:-(\d{3}))?", code)
    if not match:
        raise ValidationError(
            _(
                "Mã số thuế gồm 10 chữ số (ví dụ 0100109106), 13 ký tự dạng 0100109106-001 cho đơn vị phụ thuộc, "
                "hoặc 12 chữ số là số định danh cá nhân."
            ),
            code="mst_format",
        )
    digits = [int(ch) for ch in match.group(1)]
    expected = 10 - sum(w * d for w, d in zip(_MST_WEIGHTS, digits[:9], strict=True)) % 11
    if expected == 10 or expected != digits[9]:
        raise ValidationError(
            _("Mã số thuế không đúng: chữ số kiểm tra (chữ số thứ 10) không khớp. Vui lòng xem lại từng chữ số."),
            code="mst_checksum",
        )
    return code


def validate_social_insurance_number(value):
    """Mã số BHXH: 10 digits (printed on the social insurance book and on the health insurance card)."""
    code = _compact(value)
    if not re.fullmatch(r"\d{10}", code):
        raise ValidationError(
            _("Mã số BHXH gồm đúng 10 chữ số, in trên sổ BHXH và là 10 số cuối của mã thẻ BHYT."),
            code="bhxh_format",
        )
    return code


def validate_health_insurance_number(value):
    """Mã thẻ BHYT (QĐ 1666/QĐ-BHXH): 15 characters — 2 letters for the beneficiary group, 1 digit for
    the benefit level (1-5), 2 digits for the province, then the 10-digit social insurance number.
    The 10-digit number alone (cards issued since 2021 show it) is accepted too."""
    code = _compact(value)
    if re.fullmatch(r"\d{10}", code):
        return code
    if not re.fullmatch(r"[A-Z]{2}[1-5]\d{2}\d{10}", code):
        raise ValidationError(
            _(
                "Mã thẻ BHYT gồm 15 ký tự: 2 chữ cái, 1 chữ số mức hưởng (1-5), 2 chữ số mã tỉnh và 10 chữ số "
                "mã số BHXH (ví dụ GD4313120012345), hoặc chỉ 10 chữ số mã số BHXH."
            ),
            code="bhyt_format",
        )
    return code


def validate_evn_customer_code(value):
    """Mã khách hàng sử dụng điện (EVN): 13 characters, opening with 'P' and the power corporation's
    letter (PA…: EVNNPC, which serves Hải Phòng; PB, PC, PD, PE, PH, PK, PM, PN, PP, PQ elsewhere)."""
    code = _compact(value)
    if not re.fullmatch(r"P[A-Z][A-Z0-9]{11}", code):
        raise ValidationError(
            _(
                "Mã khách hàng điện gồm 13 ký tự, bắt đầu bằng chữ P và một chữ cái (ví dụ PA03HP0012345), "
                "in trên hóa đơn tiền điện."
            ),
            code="evn_format",
        )
    return code


def validate_referral_code(value):
    """Mã giới thiệu: the referrer's mobile number, or a campaign code of 4 to 20 letters and digits."""
    from .phones import normalize_phone

    phone = normalize_phone(value)
    if phone:
        return phone
    code = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{4,20}", code):
        raise ValidationError(
            _("Mã giới thiệu là số điện thoại của người giới thiệu, hoặc một mã gồm 4 đến 20 chữ cái và chữ số."),
            code="referral_format",
        )
    return code


def validate_date_of_birth(value):
    today = datetime.date.today()
    if value > today:
        raise ValidationError(_("Ngày sinh không thể ở tương lai."), code="dob_future")
    if value.year < today.year - 120:
        raise ValidationError(_("Ngày sinh không hợp lệ: quá 120 năm trước."), code="dob_past")
