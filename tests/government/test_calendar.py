"""The working-day calendar: weekends, Vietnamese public holidays (Tết), administrators' overrides, office hours."""

import datetime as dt

import pytest

from government import calendar
from government.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))
D = dt.date


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def tet_2026():
    """The government's Tết Bính Ngọ holiday: Saturday 14 to Sunday 22 February 2026 off.

    Whatever the `holidays` package does not already give (as a holiday or a weekend) is added as
    CalendarDay rows, the way administrators would.
    """
    added = []
    day = D(2026, 2, 14)
    while day <= D(2026, 2, 22):
        if calendar.is_working_day(day):
            CalendarDay.objects.create(date=day, kind=DayKind.DAY_OFF, name="Nghỉ Tết Bính Ngọ")
            added.append(day)
        day += dt.timedelta(days=1)
    return added


class TestWorkingDays:
    def test_weekdays_work_and_weekends_do_not(self):
        assert calendar.is_working_day(D(2025, 3, 7))  # Friday
        assert not calendar.is_working_day(D(2025, 3, 8))  # Saturday
        assert not calendar.is_working_day(D(2025, 3, 9))  # Sunday

    def test_public_holidays_from_the_holidays_package_are_off(self):
        """National Day, Reunification Day and lunar Tết (17 February 2026 is the first day)."""
        assert not calendar.is_working_day(D(2025, 9, 2))
        assert not calendar.is_working_day(D(2025, 4, 30))
        assert not calendar.is_working_day(D(2026, 2, 17))
        assert not calendar.is_working_day(D(2026, 2, 16))  # Lunar New Year's Eve

    def test_the_packages_make_up_saturday_is_worked(self):
        """2 May 2025 was given off in exchange for working Saturday 26 April 2025."""
        assert not calendar.is_working_day(D(2025, 5, 2))
        assert calendar.is_working_day(D(2025, 4, 26))

    def test_a_whole_tet_holiday_is_off(self, tet_2026):
        assert all(not calendar.is_working_day(D(2026, 2, day)) for day in range(14, 23))
        assert calendar.is_working_day(D(2026, 2, 13)) and calendar.is_working_day(D(2026, 2, 23))

    def test_a_day_off_override_closes_a_weekday(self):
        CalendarDay.objects.create(date=D(2025, 3, 12), kind=DayKind.DAY_OFF, name="Nghỉ bù")
        assert not calendar.is_working_day(D(2025, 3, 12))
        assert calendar.add_working_days(D(2025, 3, 11), 1) == D(2025, 3, 13)

    def test_a_working_day_override_opens_a_saturday_and_a_holiday(self):
        CalendarDay.objects.create(date=D(2026, 3, 7), kind=DayKind.WORKING_DAY, name="Làm bù")
        CalendarDay.objects.create(date=D(2025, 9, 2), kind=DayKind.WORKING_DAY, name="Làm việc")
        assert calendar.is_working_day(D(2026, 3, 7))
        assert calendar.is_working_day(D(2025, 9, 2))

    def test_an_aware_datetime_is_read_on_its_vietnamese_date(self):
        """Friday 20:00 UTC is already Saturday 03:00 in Hải Phòng."""
        assert not calendar.is_working_day(dt.datetime(2025, 3, 7, 20, tzinfo=dt.UTC))
        assert calendar.is_working_day(dt.datetime(2025, 3, 7, 16, tzinfo=dt.UTC))

    def test_a_naive_datetime_is_refused(self):
        with pytest.raises(ValueError):
            calendar.is_working_day(dt.datetime(2025, 3, 7, 10))


class TestAddWorkingDays:
    def test_the_start_day_does_not_count(self):
        assert calendar.add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
        assert calendar.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)  # Friday -> Monday
        assert calendar.add_working_days(D(2025, 3, 3), 0) == D(2025, 3, 3)

    def test_across_tet_2026(self, tet_2026):
        """Friday 13 February + 1 working day is Monday 23 February; + 5 is Friday 27 February."""
        assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
        assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
        assert calendar.add_working_days(D(2026, 2, 10), 5) == D(2026, 2, 24)

    def test_a_deadline_starting_on_a_holiday(self, tet_2026):
        """Received on the first day of Tết: the count starts after the holiday."""
        assert calendar.add_working_days(D(2026, 2, 17), 1) == D(2026, 2, 23)
        assert calendar.add_working_days(at(2026, 2, 17, 9, 30), 2) == at(2026, 2, 24, 9, 30)

    def test_a_make_up_saturday_counts(self):
        CalendarDay.objects.create(date=D(2026, 3, 7), kind=DayKind.WORKING_DAY, name="Làm bù")
        assert calendar.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 7)
        assert calendar.add_working_days(D(2026, 3, 6), 2) == D(2026, 3, 9)

    def test_a_datetime_keeps_its_time_of_day_in_vietnam(self):
        result = calendar.add_working_days(at(2025, 3, 7, 16), 1)
        assert result == at(2025, 3, 10, 16)
        assert result.utcoffset() == dt.timedelta(hours=7)
        # 20:00 UTC Friday is Saturday 03:00 locally: one working day later is Monday 03:00.
        assert calendar.add_working_days(dt.datetime(2025, 3, 7, 20, tzinfo=dt.UTC), 1) == at(2025, 3, 10, 3)

    def test_negative_counts_are_refused(self):
        with pytest.raises(ValueError):
            calendar.add_working_days(D(2025, 3, 3), -1)

    def test_one_query_even_across_tet(self, tet_2026, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert calendar.add_working_days(D(2026, 2, 1), 30) == D(2026, 3, 20)


class TestWorkingDaysBetween:
    def test_counts_days_after_start_up_to_end(self, tet_2026):
        assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
        assert calendar.working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1
        assert calendar.working_days_between(D(2025, 3, 7), D(2025, 3, 9)) == 0
        assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1

    def test_end_before_start_is_negative(self):
        assert calendar.working_days_between(D(2025, 3, 10), D(2025, 3, 7)) == -1
        assert calendar.working_days_between(D(2025, 3, 14), D(2025, 3, 3)) == -calendar.working_days_between(
            D(2025, 3, 3), D(2025, 3, 14)
        )

    def test_it_undoes_add_working_days(self, tet_2026):
        """For every start around Tết and every n: working_days_between(start, start + n) == n."""
        CalendarDay.objects.create(date=D(2026, 3, 7), kind=DayKind.WORKING_DAY, name="Làm bù")
        start = D(2026, 1, 25)
        while start < D(2026, 3, 15):
            for n in range(0, 12):
                assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n, (start, n)
            start += dt.timedelta(days=1)

    def test_a_year_in_one_query(self, django_assert_num_queries):
        """2025: 365 days, 104 weekend days, 12 holidays on weekdays (Tết 5), 1 make-up Saturday."""
        with django_assert_num_queries(1):
            assert calendar.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 365 - 104 - 12 + 1


class TestWorkingHours:
    def test_hours_within_a_morning(self):
        assert calendar.add_working_hours(at(2025, 3, 3, 9), 2) == at(2025, 3, 3, 11)

    def test_lunch_does_not_count(self):
        assert calendar.add_working_hours(at(2025, 3, 3, 11), 2) == at(2025, 3, 3, 14)
        assert calendar.add_working_hours(at(2025, 3, 3, 12, 30), 1) == at(2025, 3, 3, 14)

    def test_a_period_used_up_exactly_ends_at_its_close(self):
        assert calendar.add_working_hours(at(2025, 3, 3, 10), 2) == at(2025, 3, 3, 12)
        assert calendar.add_working_hours(at(2025, 3, 3, 8), 8) == at(2025, 3, 3, 17)

    def test_nights_and_weekends_do_not_count(self):
        assert calendar.add_working_hours(at(2025, 3, 3, 20), 1) == at(2025, 3, 4, 9)
        assert calendar.add_working_hours(at(2025, 3, 7, 16), 3) == at(2025, 3, 10, 10)
        assert calendar.add_working_hours(at(2025, 3, 8, 10), 0.5) == at(2025, 3, 10, 8, 30)

    def test_hours_across_tet(self, tet_2026):
        assert calendar.add_working_hours(at(2026, 2, 13, 16), 2) == at(2026, 2, 23, 9)

    def test_a_timedelta_works_too(self):
        assert calendar.add_working_hours(at(2025, 3, 3, 11, 45), dt.timedelta(minutes=30)) == at(2025, 3, 3, 13, 15)

    def test_hours_between(self, tet_2026):
        assert calendar.working_hours_between(at(2025, 3, 7, 16), at(2025, 3, 10, 10)) == 3
        assert calendar.working_hours_between(at(2025, 3, 10, 10), at(2025, 3, 7, 16)) == -3
        assert calendar.working_hours_between(at(2025, 3, 3, 11), at(2025, 3, 3, 14)) == 2
        assert calendar.working_hours_between(at(2025, 3, 3, 9), at(2025, 3, 3, 11, 30)) == 2.5
        assert calendar.working_hours_between(at(2025, 3, 8, 9), at(2025, 3, 8, 16)) == 0
        assert calendar.working_hours_between(at(2026, 2, 13, 8), at(2026, 2, 23, 17)) == 16

    def test_hours_between_undoes_add_hours(self, tet_2026):
        start = at(2026, 2, 12, 7)
        while start < at(2026, 2, 25):
            for hours in (0.25, 1, 3.5, 8, 13):
                end = calendar.add_working_hours(start, hours)
                assert calendar.working_hours_between(start, end) == pytest.approx(hours), (start, hours)
            start += dt.timedelta(hours=2, minutes=45)

    def test_office_hours_come_from_settings(self, settings):
        settings.WORKING_HOURS = [(7, 30, 11, 30), (13, 30, 16, 30)]
        assert calendar.add_working_hours(at(2025, 3, 3, 11), 1) == at(2025, 3, 3, 14)
        assert calendar.add_working_hours(at(2025, 3, 3, 16), 1) == at(2025, 3, 4, 8)

    def test_one_query_per_call(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            calendar.add_working_hours(at(2025, 3, 3, 9), 80)
        with django_assert_num_queries(1):
            calendar.working_hours_between(at(2025, 1, 1, 9), at(2025, 3, 1, 9))
