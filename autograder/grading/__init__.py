"""Grading, the orchestrator: one submission in, one report out.

:mod:`submission` reads the files a student handed in (safely); :mod:`runner` runs the
assignment's checks (from :mod:`autograder.registry`) against them in the sandbox and scores them
with the rubric. Everything below it (checks, core, sandbox) never imports it; the adapters above
(CLI, batch, nbgrader, Gradescope, pytest plugin) call :func:`runner.grade`.
"""
