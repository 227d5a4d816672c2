"""Item analysis of a quiz (facility, discrimination, choices made) and its page."""
