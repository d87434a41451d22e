"""The conversation's features, one module each. Their order is the order of the command menu
and of the one-line command list, and the order in which they may claim free text."""

from handlers.feature import Feature
from handlers.features import (
    admin,
    broadcast,
    courtesy,
    done,
    export,
    nudge,
    own_days,
    plan_upload,
    questions,
    reminders,
    roster,
    settings,
    subscribing,
    web,
)

FEATURES: tuple[Feature, ...] = (
    courtesy.feature,
    questions.feature,
    subscribing.feature,
    roster.feature,  # before settings: "chibo them …" is never the answer to a prompt
    settings.feature,
    done.feature,
    reminders.feature,
    own_days.feature,
    admin.feature,
    broadcast.feature,
    export.feature,
    nudge.feature,
    plan_upload.feature,
    web.feature,
)
