"""Pure rules: no nicegui, no tortoise. Tested in microseconds; shared by pages, services, API and scripts."""
