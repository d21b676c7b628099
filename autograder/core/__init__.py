"""The core: typed records and pure helpers every layer above may use.

:mod:`compare` (tolerances, how two outputs differ), :mod:`messages` and :mod:`locales` (every
student-facing text, en/pt/es), :mod:`results` (check results and reports, with typed statuses),
:mod:`rubric` (points, tolerances and limits per assignment), :mod:`recording` (the public
checks' recorded reference), :mod:`model_file` (a trained ``.keras`` file read without Keras).

The core imports only :mod:`autograder.sandbox` (the wire's value types) and itself; the layers
are listed in ``docs/architecture.md`` and enforced by ``tests/test_layers.py``.
"""
