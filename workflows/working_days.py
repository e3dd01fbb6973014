"""Working days: Monday to Friday. Public holidays count as working days (a board that
wants them left out sets its due dates a little longer)."""

import datetime

SATURDAY = 5


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted):
    Friday + 1 is Monday, Saturday + 1 is Monday, Monday + 5 is the next Monday. Zero
    gives ``start`` itself."""
    weeks, rest = divmod(max(0, days), 5)
    day = start + datetime.timedelta(weeks=weeks)
    while rest:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            rest -= 1
    if days and not is_working_day(day):  # whole weeks from a weekend land on a weekend: the Friday before
        day -= datetime.timedelta(days=day.weekday() - SATURDAY + 1)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if is_working_day(start + datetime.timedelta(days=offset)):
            count += 1
    return count
