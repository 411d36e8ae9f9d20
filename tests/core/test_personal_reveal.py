"""The core of the audited reveal: one registry of revealable fields, the tag that shows a mask
with or without its button, and the edit-form mixin that keeps a number behind its mask."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import PHONE, EnterpriseFactory
from yutong.core import personal

pytestmark = pytest.mark.django_db


def test_a_key_is_registered_once():
    spec = personal.revealable("enterprise-contact-phone")
    with pytest.raises(ValueError, match="registered twice"):
        personal.register_revealable(
            personal.Revealable(
                key=spec.key,
                label="x",
                field="x",
                kind=personal.PHONE,
                permitted=lambda user: True,
                records=spec.records,
            )
        )
    assert personal.revealable(spec.key) is spec


def _render(record, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% load personal %}{% personal record "enterprise-contact-phone" %}')
    return template.render(Context({"record": record, "request": request}))


def test_the_tag_offers_the_button_only_to_a_permitted_reader(yuzhong, district_staff, auditor):
    enterprise = EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)
    staff_html = _render(enterprise, district_staff)
    assert "138****5678" in staff_html and PHONE not in staff_html
    assert f'hx-post="/core/reveal/enterprise-contact-phone/{enterprise.pk}/"' in staff_html
    auditor_html = _render(enterprise, auditor)
    assert "138****5678" in auditor_html and "hx-post" not in auditor_html
    assert _render(EnterpriseFactory(unit=yuzhong, contact_phone=""), district_staff) == ""


class _ContactForm(personal.MaskedFieldsMixin, forms.Form):
    masked_fields = {"phone": personal.PHONE}
    phone = forms.CharField(required=False)


class _Record:
    pk = 1
    phone = PHONE


def test_the_mixin_masks_and_keeps_or_replaces():
    assert _ContactForm(masked_record=_Record())["phone"].value() == "138****5678"
    kept = _ContactForm({"phone": " 138****5678 "}, masked_record=_Record())
    assert kept.is_valid() and kept.cleaned_data["phone"] == PHONE
    typed = _ContactForm({"phone": "13700001111"}, masked_record=_Record())
    assert typed.is_valid() and typed.cleaned_data["phone"] == "13700001111"
    cleared = _ContactForm({"phone": ""}, masked_record=_Record())
    assert cleared.is_valid() and cleared.cleaned_data["phone"] == ""
    new = _ContactForm({"phone": "138****5678"})  # no record: nothing to keep
    assert new.is_valid() and new.cleaned_data["phone"] == "138****5678"
