"""Queue the monthly indicator reports (last month by default) for the city and every
district-level unit of that month. Meant for the scheduler, early each month, e.g. cron:

    10 1 1 * *  yutong enqueue_indicator_reports

The background worker (``yutong worker``) builds them; a report already waiting or ready is
not queued twice (``--force`` queues it again, e.g. after records of that month were corrected).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yutong.indicators import services, tasks


class Command(BaseCommand):
    help = "生成上月（或指定月份）全市和各区县的主要指标月度报告（后台任务）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="年度（默认上月所在年度）")
        parser.add_argument("--month", type=int, help="月份（默认上月）")
        parser.add_argument("--force", action="store_true", help="已有报告的单位也重新生成")

    def handle(self, *args, year=None, month=None, force=False, **options):
        today = timezone.localdate()
        default_year, default_month = tasks.last_month(today)
        year, month = year or default_year, month or default_month
        try:
            queued = services.enqueue_monthly_reports(year, month, today=today, force=force)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已提交 {year} 年 {month} 月的月度报告 {len(queued)} 份。")
