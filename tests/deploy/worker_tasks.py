"""A task for the worker tests: imported by the test and by the worker subprocess."""

from django_tasks import task


@task()
def echo(value: str) -> str:
    return value
