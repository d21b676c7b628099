"""Grading a whole class: thin layers over :func:`autograder.grading.runner.grade`.

    discover    a folder of submissions -> one :class:`~autograder.batch.discover.Entry` per
                student (plain folders and .zip files, Moodle and Canvas bulk downloads)
    records     the typed result of one student, its JSON file (written atomically), loading
    run         the resumable, parallel batch (worker processes, content hashes, shards)
    shards      ``--shard i/n`` selection, shard manifests and the merge of shard outputs
    gradebook   CSV gradebooks (generic, Canvas, Moodle), pure functions of the records
    class_report the one-page report of an assignment, a pure function of the records
    gradescope  autograder.zip for Gradescope, and the entry point that runs inside it
    cli         the ``batch``, ``merge`` and ``gradescope`` sub-commands
"""
