"""What a finished batch (or a merge of shards) leaves for the instructor: the gradebooks and
the class report, written from the records alone."""
from __future__ import annotations

import datetime
from pathlib import Path

from autograder.batch.class_report import write_class_report
from autograder.batch.gradebook import write_gradebooks
from autograder.batch.records import Record


def publish(records: list[Record], output: Path, assignment: str, title: str = "") -> list[Path]:
    """Write ``gradebook*.csv`` and the class report of ``records`` into ``output``."""
    modified = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (write_gradebooks(records, output, title or assignment, modified)
            + write_class_report(records, output, assignment))
