"""Translations of the student-facing catalogue (see autograder.core.messages)."""
