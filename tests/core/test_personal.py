"""Personal data: encrypted at rest, decrypted on read, keyed hash for lookup, masked in
display and logs."""

import logging

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from tests.factories import EnterpriseFactory, make_uscc
from yutong.core import personal
from yutong.core.logging import MaskPersonalDataFilter
from yutong.registry import services
from yutong.registry.models import Enterprise

PHONE = "13912345678"
RIC_BODY = "50010320000307123"  # 渝中区 (a code since 1997), born 2000-03-07
RESIDENT_ID = RIC_BODY + ric.calc_check_digit(RIC_BODY + "0")  # stdnum skips the last char


def raw_phone_columns(pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone, contact_phone_hash FROM registry_enterprise WHERE id = %s", [pk]
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_phone_is_ciphertext_in_the_database_and_plain_on_read(district_staff, yuzhong):
    enterprise = services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 7),
        name="渝中加密测试有限公司",
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=12,
        contact_phone="139 1234 5678",
    )
    stored, stored_hash = raw_phone_columns(enterprise.pk)
    assert stored != PHONE
    assert PHONE not in stored
    assert "5678" not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert personal.decrypt(stored) == PHONE
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == PHONE
    # The keyed hash finds the row without decrypting anything, whatever the spacing.
    assert stored_hash == personal.blind_index(PHONE)
    assert len(stored_hash) == 40
    assert Enterprise.objects.get(contact_phone_hash=personal.blind_index("139-1234-5678")) == (
        enterprise
    )


@pytest.mark.django_db
def test_empty_phone_stays_empty(yuzhong):
    enterprise = EnterpriseFactory(unit=yuzhong, contact_phone="")
    assert raw_phone_columns(enterprise.pk) == ("", "")
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == ""


@pytest.mark.django_db
def test_each_encryption_is_different_but_the_hash_is_stable(yuzhong):
    first = EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)
    second = EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)
    first_raw, first_hash = raw_phone_columns(first.pk)
    second_raw, second_hash = raw_phone_columns(second.pk)
    assert first_raw != second_raw
    assert first_hash == second_hash


@pytest.mark.django_db
def test_the_wrong_key_never_shows_ciphertext(yuzhong, settings):
    enterprise = EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)
    settings.FIELD_ENCRYPTION_KEY = "some-other-key"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Enterprise.objects.get(pk=enterprise.pk)


def test_blind_index_depends_on_the_key(settings):
    first = personal.blind_index(PHONE)
    settings.FIELD_ENCRYPTION_KEY = "some-other-key"
    assert personal.blind_index(PHONE) != first


def test_blind_index_normalises_spacing_dashes_and_case():
    assert personal.blind_index("5001031990 0307123x") == personal.blind_index("50010319900307123X")


@given(st.text(max_size=60))
def test_encrypt_decrypt_round_trip(value):
    assert personal.decrypt(personal.encrypt(value)) == value


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("023-12345678", "********5678"),
        ("02312345678", "*******5678"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert personal.mask_phone(value) == masked


def test_mask_resident_id():
    assert personal.mask_resident_id(RESIDENT_ID) == "5001" + "*" * 10 + RESIDENT_ID[-4:]
    assert personal.mask_resident_id(RESIDENT_ID[:-1] + "x") == "5001" + "*" * 10 + "123X"
    assert personal.mask_resident_id("1234567") == "*******"
    assert personal.mask_resident_id(None) == ""


def test_phone_and_resident_id_validation():
    assert personal.is_valid_phone("13812345678") is True
    assert personal.is_valid_phone("138 1234 5678") is True
    assert personal.is_valid_phone("023-12345678") is True
    assert personal.is_valid_phone("12812345678") is False
    assert personal.is_valid_phone("1381234567") is False
    assert RESIDENT_ID == "500103200003071234"
    assert personal.is_valid_resident_id(RESIDENT_ID) is True
    assert personal.is_valid_resident_id("500103200003071235") is False  # check digit
    assert personal.is_valid_resident_id("50010320000307123") is False  # length


def test_scrub_masks_resident_ids_and_mobile_numbers():
    text = f"申请人 {RESIDENT_ID} 电话 13812345678，固话 023-12345678，金额 12345678901234"
    assert personal.scrub(text) == (
        f"申请人 5001**********{RESIDENT_ID[-4:]} 电话 138****5678，固话 023-12345678，"
        "金额 12345678901234"
    )


def test_logging_filter_scrubs_messages_and_args(caplog):
    logger = logging.getLogger("yutong.tests.personal")
    caplog.handler.addFilter(MaskPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="yutong.tests.personal"):
        logger.info("lookup %s by %s", RESIDENT_ID, "13812345678")
        logger.info("nothing personal here: %d rows", 3)
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        f"lookup 5001**********{RESIDENT_ID[-4:]} by 138****5678",
        "nothing personal here: 3 rows",
    ]
    assert RESIDENT_ID not in caplog.text
    assert "13812345678" not in caplog.text
    assert all(record.request_id == "-" for record in caplog.records)


def test_logging_settings_attach_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["mask_personal_data"]
    assert settings.LOGGING["filters"]["mask_personal_data"]["()"] == (
        "yutong.core.logging.MaskPersonalDataFilter"
    )
    root = logging.getLogger()
    console = [h for h in root.handlers if isinstance(h, logging.StreamHandler)]
    assert any(
        isinstance(f, MaskPersonalDataFilter) for h in console for f in getattr(h, "filters", [])
    )


def test_resident_ids_of_people_born_before_the_district_code_existed():
    """渝中区 (500103) dates from 1997; people registered there since carry it whatever their
    birth year. stdnum's full validate() refuses such numbers; ours must accept them."""
    from stdnum.cn import ric

    from yutong.core.personal import is_valid_resident_id

    first17 = "50010319800101123"
    number = first17 + ric.calc_check_digit(first17 + "0")
    assert not ric.is_valid(number)
    assert is_valid_resident_id(number)
    assert not is_valid_resident_id(number[:-1] + ("0" if number[-1] != "0" else "1"))
    assert not is_valid_resident_id("99" + number[2:])  # no such province
    assert not is_valid_resident_id("500103" + "20991231" + "1234")  # born in the future
