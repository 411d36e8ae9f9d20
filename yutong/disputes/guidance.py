"""Similar-case guidance (类案裁决指引): closed arbitration cases like the one at hand.

Chinese has no spaces, so a case's facts, claims and summary are cut into words with jieba when
the case closes (``search_text``). A query is cut the same way; candidates are the closed cases
sharing a claim type or a word (indexed LIKE on PostgreSQL), and they are ranked with BM25 over
the candidates. Model cases (精品案例) that match rank first. Only what a precedent needs is shown:
no names or identity numbers.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q

from .models import ArbitrationCase

MAX_QUERY_TERMS = 12
MAX_CANDIDATES = 2000
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
# Words too common in labour disputes to tell cases apart.
STOP_WORDS = frozenset(
    "公司 单位 用人单位 劳动者 申请人 被申请人 要求 支付 请求 我们 没有 已经 因为 "
    "但是 以及 进行 相关 情况 其他 以上 以下".split()
)
K1, B = 1.5, 0.75


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str) -> list[str]:
    """Search tokens of a Chinese text: words of two or more characters, numbers, no stop words."""
    words = _jieba().cut_for_search(text or "")
    return [
        w
        for w in (w.strip() for w in words)
        if len(w) >= 2 and _WORD.search(w) and w not in STOP_WORDS
    ]


def case_search_text(case: ArbitrationCase) -> str:
    claims = case.dispute.claims.active().select_related("claim_type")
    claims = " ".join(c.claim_type.name for c in claims)
    return " ".join(dict.fromkeys(tokens(f"{case.dispute.facts} {claims} {case.summary}")))


@dataclass(frozen=True)
class Match:
    case: ArbitrationCase
    score: float
    matched: tuple[str, ...]
    shared_claims: tuple[str, ...]


def similar_cases(
    text: str = "",
    claim_types: list[str] | None = None,
    exclude_id: int | None = None,
    limit: int = 20,
) -> list[Match]:
    terms = list(dict.fromkeys(tokens(text)))[:MAX_QUERY_TERMS]
    claim_types = [c for c in (claim_types or []) if c]
    if not terms and not claim_types:
        return []
    candidates = _candidates(terms, claim_types, exclude_id)
    if not candidates:
        return []
    docs = {case.pk: case.search_text.split() for case in candidates}
    average = sum(len(words) for words in docs.values()) / len(docs) or 1.0
    frequency = Counter(term for words in docs.values() for term in set(words) if term in terms)
    matches = []
    for case in candidates:
        words = docs[case.pk]
        counts = Counter(words)
        score = sum(
            _bm25(counts[t], len(words), average, frequency[t], len(docs))
            for t in terms
            if counts[t]
        )
        shared = tuple(sorted(set(claim_types) & case.claim_codes))
        score += 0.5 * len(shared)  # the same claims are what makes a precedent comparable
        if score > 0:
            matched = tuple(t for t in terms if counts[t])
            matches.append(Match(case, round(score, 3), matched, shared))
    matches.sort(key=lambda m: (m.case.is_model_case, m.score, m.case.closed_on), reverse=True)
    return matches[:limit]


def _bm25(tf: int, length: int, average: float, df: int, n: int) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))


def _candidates(terms: list[str], claim_types: list[str], exclude_id: int | None):
    queryset = ArbitrationCase.objects.filter(
        closed_on__isnull=False,
        closure__in=[ArbitrationCase.Closure.AWARD, ArbitrationCase.Closure.MEDIATION_DOCUMENT],
    ).select_related("commission", "dispute")
    if exclude_id:
        queryset = queryset.exclude(pk=exclude_id)
    match = Q()
    for term in terms:
        match |= Q(search_text__contains=term)
    if claim_types:
        # One Q: the type and the withdrawal are tested on the same claim row.
        match |= Q(
            dispute__claims__claim_type__in=claim_types, dispute__claims__withdrawn_on__isnull=True
        )
    ids = list(
        queryset.filter(match)
        .order_by("-is_model_case", "-closed_on", "-id")
        .values_list("pk", flat=True)
        .distinct()[:MAX_CANDIDATES]
    )
    candidates = list(queryset.filter(pk__in=ids).prefetch_related("dispute__claims"))
    for case in candidates:
        case.claim_codes = {
            claim.claim_type_id for claim in case.dispute.claims.all() if claim.withdrawn_on is None
        }
    return candidates
