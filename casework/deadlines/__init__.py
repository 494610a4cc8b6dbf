"""The deadline engine: statutory and custody time limits, PACE and bail clocks, charging, listing and
Victims' Code due dates, and the alert thresholds before each (domain.md sections 0, 5, 10 and 12.2).

``calendar``      England and Wales public holidays and working-day arithmetic (pure)
``rules``         the periods and thresholds as data, overridable by ``settings.CASEBRIDGE_DEADLINES``
``calculations``  pure functions from explicit inputs to dates and Europe/London datetimes
``holidays``      the vendored GOV.UK holiday list and the ``PublicHoliday`` table (I/O lives here)
"""
