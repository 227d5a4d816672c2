"""The one error of backup and restore."""


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator, in Vietnamese."""
