from django.core.exceptions import ValidationError
from stdnum.cn import uscc as stdnum_uscc

from yutong.core.personal import is_valid_phone


def normalise_uscc(value: str) -> str:
    return stdnum_uscc.compact(value or "").upper()


def validate_uscc(value: str) -> None:
    try:
        stdnum_uscc.validate(value)
    except Exception as exc:  # stdnum's InvalidLength/InvalidFormat/InvalidChecksum
        raise ValidationError(
            "统一社会信用代码无效：应为 18 位，且校验位正确。", code="invalid_uscc"
        ) from exc


def validate_phone(value: str) -> None:
    if value and not is_valid_phone(value):
        raise ValidationError(
            "联系电话格式不正确：手机号为 11 位，固定电话如 023-12345678。", code="invalid_phone"
        )
