"""The stock indicators' kept counts (``indicators/ledger.py``): build them, or check them.

    yutong counts --rebuild            # after loading records in bulk, or to repair
    yutong counts --check [--day D]    # compare with the direct computation (default: today)

``--check`` exits with status 1 and lists the differences when the kept counts and the
records disagree for any unit or township.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yutong.indicators import ledger


class Command(BaseCommand):
    help = "重建或核对按日保存的存量指标计数（和谐劳动关系创建覆盖率、集体合同覆盖率）。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="从记录重新计算全部计数")
        parser.add_argument("--check", action="store_true", help="与按记录直接计算的结果核对")
        parser.add_argument("--day", action="append", default=[], help="核对的日期（可重复）")
        parser.add_argument("--member", help="只处理一个计数（如 harmony_coverage.enterprises）")

    def handle(self, *args, rebuild=False, check=False, day=(), member=None, **options):
        known = {m["key"] for m in ledger.members()}
        if member and member not in known:
            raise CommandError(f"没有这个计数：{member}（可选：{'、'.join(sorted(known))}）")
        if not (rebuild or check):
            raise CommandError("请指定 --rebuild 或 --check。")
        if rebuild:
            ledger.rebuild(member, progress=self._progress)
            self.stdout.write("计数已重建。")
        if check:
            self._check(day, member)

    def _progress(self, key, number, total):
        self.stdout.write(f"  {key}: {number}/{total} 天")

    def _check(self, days, member):
        try:
            wanted = [date.fromisoformat(d) for d in days] or [timezone.localdate()]
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        keys = None if member is None else [member]
        found = []
        for day in wanted:
            found += [(day, *row) for row in ledger.check(day, keys)]
        for day, key, (field, value), kept, computed in found:
            self.stdout.write(f"{day} {key} {field}={value}: 计数 {kept} ≠ 记录 {computed}")
        if found:
            raise CommandError(f"核对发现 {len(found)} 处不一致。")
        self.stdout.write(f"核对一致（{len(wanted)} 天）。")
