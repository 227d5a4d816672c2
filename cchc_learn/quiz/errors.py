"""The one error the quiz services raise; its message is for users, in Vietnamese."""


class QuizError(ValueError):
    """A quiz or bank operation that cannot be done; nothing of it was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
