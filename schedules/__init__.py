"""The domain: plans, calendar queries, reminders, Vietnamese dates. Pure: time is passed in."""
