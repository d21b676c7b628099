"""Translations of the student-facing catalogue (see autograder.grading.messages)."""
