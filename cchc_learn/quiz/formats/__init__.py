"""Question-bank formats: our Markdown, Moodle GIFT and JSON, all to and from quiz items."""
