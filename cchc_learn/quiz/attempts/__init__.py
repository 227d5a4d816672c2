"""Attempts and their grading: drawing items, answering, submitting and closing on time,
grading (by the types' graders, essays by trainers), reviews, and the lists trainers export."""
