"""类案裁决指引 (/disputes/guidance/): closed arbitration cases like the one at hand.

For arbitrators, mediators, district staff and the city administrator. The precedents are the
city's closed cases (awards and arbitral mediation documents, ``guidance.similar_cases``), so
that like cases are decided alike across commissions; a precedent shows only what it needs —
case number, commission, closure, claims, the amounts awarded and whether final, the summary —
never a worker's name or identity number. The facts excerpt has the workers' names replaced and
identity and phone numbers masked.

``?case=<id>`` (the link on an arbitration case page) fills in that case's claim types and facts
and leaves the case itself out; the case must be one the user may see (404 otherwise).
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yutong.core import roles
from yutong.core.money import yuan
from yutong.core.permissions import require_role
from yutong.core.personal import scrub

from . import guidance, queries
from .models import ArbitrationCase, AwardItem, ClaimType, DisputeWorker

GUIDANCE_USERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR, roles.ARBITRATOR)
RESULTS = 20
EXCERPT = 160  # characters of the facts shown around the first matched word
WORKER = "×××"  # where a worker's name stood


class GuidanceForm(forms.Form):
    claim_types = forms.MultipleChoiceField(
        label="请求事项", required=False, widget=forms.CheckboxSelectMultiple
    )
    q = forms.CharField(
        label="案情描述或关键词",
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "form-control",
                "placeholder": "如：未签订书面劳动合同，要求支付二倍工资差额",
            }
        ),
    )
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, claim_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim_types"].choices = [(t.code, t.name) for t in claim_types]


def _scoped_case(user, raw: str | None) -> ArbitrationCase | None:
    """The case of ``?case=``: visible to the user or a 404 (never a 403: nothing leaks)."""
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise Http404("无此案件。")
    case = (
        queries.arbitration_cases_visible_to(user)
        .filter(pk=int(raw))
        .select_related("dispute")
        .first()
    )
    if case is None:
        raise Http404("无此案件。")
    return case


@login_required
@require_GET
def guidance_page(request):
    require_role(request.user, *GUIDANCE_USERS)
    claim_types = list(ClaimType.objects.all())
    case = _scoped_case(request.user, request.GET.get("case"))
    if case is not None and "q" not in request.GET:
        # Arriving from the case page: its claims and facts are the question.
        data = {
            "case": str(case.pk),
            "q": case.dispute.facts[:2000],
            "claim_types": sorted(
                set(case.dispute.claims.active().values_list("claim_type_id", flat=True))
            ),
        }
        form = GuidanceForm(data, claim_types=claim_types)
    else:
        form = GuidanceForm(request.GET or None, claim_types=claim_types)
    results, searched = [], False
    if form.is_bound and form.is_valid():
        text, codes = form.cleaned_data["q"], form.cleaned_data["claim_types"]
        if text.strip() or codes:
            searched = True
            matches = guidance.similar_cases(
                text, codes, exclude_id=case.pk if case else None, limit=RESULTS
            )
            results = _present(matches, {t.code: t.name for t in claim_types})
    return render(
        request,
        "disputes/guidance.html",
        {
            "form": form,
            "source_case": case,
            "results": results,
            "searched": searched,
            "limit": RESULTS,
        },
    )


# --- presentation --------------------------------------------------------------------------


def _present(matches: list[guidance.Match], names: dict[str, str]) -> list[dict]:
    ids = [m.case.pk for m in matches]
    awards: dict[int, list[dict]] = {}
    for item in AwardItem.objects.filter(case_id__in=ids).select_related("claim").order_by("id"):
        awards.setdefault(item.case_id, []).append(
            {
                "name": names.get(item.claim.claim_type_id, item.claim.claim_type_id),
                "amount": yuan(item.amount),
                "is_final": item.is_final,
            }
        )
    # Only the names (never the encrypted numbers): to take them out of the texts shown.
    workers: dict[int, set[str]] = {}
    dispute_ids = [m.case.dispute_id for m in matches]
    for dispute_id, name in DisputeWorker.objects.filter(dispute_id__in=dispute_ids).values_list(
        "dispute_id", "name"
    ):
        workers.setdefault(dispute_id, set()).add(name)
    results = []
    for match in matches:
        case = match.case
        hidden = workers.get(case.dispute_id, set())
        items = awards.get(case.pk, [])
        codes = list(
            dict.fromkeys(
                c.claim_type_id for c in case.dispute.claims.all() if c.withdrawn_on is None
            )
        )
        results.append(
            {
                "number": case.number or f"仲裁 {case.pk}",
                "commission": case.commission.name,
                "closure": case.get_closure_display(),
                "closed_on": case.closed_on,
                "is_model": case.is_model_case,
                "claims": [
                    {"name": names.get(code, code), "shared": code in match.shared_claims}
                    for code in codes
                ],
                "awards": items,
                "final": (all(i["is_final"] for i in items) if items else None),
                "summary": highlight(redact(case.summary, hidden), match.matched),
                "excerpt": highlight(
                    excerpt(redact(case.dispute.facts, hidden), match.matched), match.matched
                ),
                "matched": match.matched,
                "score": match.score,
            }
        )
    return results


def redact(text: str, names: set[str]) -> str:
    """The workers' names replaced, identity and phone numbers masked."""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, WORKER)
    return scrub(text or "")


def excerpt(text: str, words: tuple[str, ...], size: int = EXCERPT) -> str:
    """About ``size`` characters of ``text`` from a little before the first matched word."""
    if len(text) <= size:
        return text
    found = [text.find(w) for w in words if w and w in text]
    start = max(0, min(found) - 30) if found else 0
    part = text[start : start + size]
    return ("…" if start else "") + part + ("…" if start + size < len(text) else "")


def highlight(text: str, words: tuple[str, ...]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) pairs; the template marks the matched pieces (and
    escapes every piece, so nothing here is trusted as HTML)."""
    if not text:
        return []
    wanted = sorted({w for w in words if w}, key=len, reverse=True)
    if not wanted:
        return [(text, False)]
    pieces, position = [], 0
    for found in re.finditer("|".join(map(re.escape, wanted)), text):
        if found.start() > position:
            pieces.append((text[position : found.start()], False))
        if pieces and pieces[-1][1] and found.start() == position:
            pieces[-1] = (pieces[-1][0] + found.group(), True)  # one mark for adjacent words
        else:
            pieces.append((found.group(), True))
        position = found.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
