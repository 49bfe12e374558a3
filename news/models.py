"""City and ward news, notices targeted to wards, power and water outage schedules."""
