"""cnn-autograder in an nbgrader course: a thin layer over :func:`autograder.grading.runner.grade`.

nbgrader runs a notebook's test cells in the student's own kernel and takes their displayed
values as points, which the notebook controls. Here the points come from elsewhere:

* :mod:`course` writes the course directory (``cnn-autograder nbgrader setup``): the
  configuration, and ``source/<assignment>/`` with the stub modules and the notebook, whose
  test cells (one per graded function, see :mod:`cells`) say where their points come from;
* the preprocessors nbgrader runs, in this order:
  :class:`~autograder.nbgrader.guard.GuardSource` (``generate_assignment``: nothing but the
  release's files reaches students), :class:`~autograder.nbgrader.sanitize.ScrubCellMetadata`
  (``autograde``, before nbgrader's own sanitizers: only the source notebook's cell metadata
  survives), :class:`~autograder.nbgrader.trusted.GradeModules` (a copy of the submitted
  modules, graded by the sandboxed grader before any notebook code runs),
  :class:`~autograder.nbgrader.execute.ConfinedExecute` (the notebook runs in a scratch copy,
  as a user of its own that cannot reach the course directory) and
  :class:`~autograder.nbgrader.trusted.WriteTrustedResults` (the test cells' outputs become the
  trusted points and messages, just before nbgrader saves them);
* :mod:`feedback` turns a :class:`~autograder.core.results.Report` into those outputs.

Importing this package imports neither nbgrader nor the grader: :mod:`placeholder` runs in
students' notebooks, where nbgrader is not installed.
"""
