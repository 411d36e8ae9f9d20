"""Uploaded files, built once: a size limit checked before anything is read or stored, a clear
message when the disk refuses the file, and the sweep of files no row points to.

Every upload (import sheets, evaluation documents) is a ``FileField`` on some model; the files
a row names are the only ones that should exist under ``MEDIA_ROOT``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

STORE_FAILED = "服务器暂时无法保存上传的文件（存储空间不可用），请稍后重试或联系管理员。"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def check_size(uploaded_file, limit: int, field: str = "file") -> None:
    """Refuse a file above ``limit`` bytes (or an empty one) before it is read or stored."""
    if uploaded_file.size > limit:
        raise ValidationError({field: f"文件不能超过 {megabytes(limit)}。"})
    if not uploaded_file.size:
        raise ValidationError({field: "文件是空的。"})


@contextmanager
def storing(field: str = "file") -> Iterator[None]:
    """Turn a disk that refuses the file (read-only, full) into a message on the field."""
    try:
        yield
    except OSError as exc:
        logger.error("upload could not be stored: %s", exc.strerror or type(exc).__name__)
        raise ValidationError({field: STORE_FAILED}) from None


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.get_fields()
        if isinstance(model_field, models.FileField)
    ]


def _upload_roots() -> set[str]:
    """The top folder of each FileField's ``upload_to`` (e.g. ``imports``)."""
    roots = set()
    for _, model_field in _file_fields():
        if isinstance(model_field.upload_to, str) and model_field.upload_to:
            roots.add(Path(model_field.upload_to).parts[0])
    return roots


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, model_field in _file_fields():
        values = model._default_manager.exclude(**{model_field.attname: ""})
        names.update(values.values_list(model_field.attname, flat=True).iterator())
    return names


def orphan_files(older_than: timedelta | None = None) -> list[Path]:
    """Files under the upload folders that no row names, left for at least ``older_than``
    (an upload in progress is stored a moment before its row is committed)."""
    grace = older_than if older_than is not None else settings.UPLOAD_ORPHAN_GRACE
    media = Path(settings.MEDIA_ROOT)
    cutoff = (timezone.now() - grace).timestamp()
    referenced = referenced_names()
    found = []
    for root in sorted(_upload_roots()):
        for dirpath, _, filenames in os.walk(media / root):
            for filename in filenames:
                path = Path(dirpath) / filename
                name = path.relative_to(media).as_posix()
                if name not in referenced and path.stat().st_mtime < cutoff:
                    found.append(path)
    return found


def delete_orphans(older_than: timedelta | None = None) -> int:
    removed = 0
    for path in orphan_files(older_than):
        try:
            path.unlink()
            removed += 1
        except OSError as exc:
            logger.warning("orphan upload not deleted: %s", exc.strerror)
    return removed
