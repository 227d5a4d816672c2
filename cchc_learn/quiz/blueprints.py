"""The quiz feature's blueprints; the view modules of its sub-packages add their pages to them."""

from flask import Blueprint

# Officials' quiz pages, and trainers' pages for banks, quizzes and item analysis.
bp = Blueprint("quiz", __name__, url_prefix="/quizzes")
# Trainers' pages about people: a quiz's attempts, their exports, essay grading.
attempts_bp = Blueprint("quiz_attempts", __name__, url_prefix="/quizzes/manage")
EDITORS = ("trainer", "admin")
