"""An nbgrader preprocessor: cells the labkit bridge could not honestly grade need a human.

The bridge (:mod:`labkit.notebook.nbgrader`) gives 0 to a submission graded against a
recording or the grading machine itself, and leaves an ``application/vnd.labkit.manual+json``
output in the cell. nbgrader's own ``SaveAutoGrades`` marks a scored code cell as graded;
this preprocessor, run after it, sets ``needs_manual_grade`` on those cells so the teacher
sees them in formgrader. In the course's ``nbgrader_config.py`` (``labkit course init``
writes it), nbgrader's defaults — the trait's ``.default()``, not the class attribute,
which is the trait itself — then this one::

    from nbgrader.converters.autograde import Autograde
    from labkit.notebook.nbgrader_manual import FlagManualGrades
    c.Autograde.autograde_preprocessors = [*Autograde.autograde_preprocessors.default(),
                                           FlagManualGrades]

or, the same list in one call::

    from labkit.notebook.nbgrader_manual import autograde_preprocessors
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
"""

from __future__ import annotations

from typing import Any

from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from labkit.notebook.nbgrader import MANUAL_MIME


def autograde_preprocessors() -> list[Any]:
    """nbgrader's own autograde preprocessors, then FlagManualGrades."""
    from nbgrader.converters.autograde import Autograde

    defaults = Autograde.autograde_preprocessors.default()
    return [*defaults, FlagManualGrades]


class FlagManualGrades(NbGraderPreprocessor):  # type: ignore[misc]
    """Set ``needs_manual_grade`` for grade cells holding a labkit manual-grade output."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        self.db_url = resources["nbgrader"]["db_url"]
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        with Gradebook(self.db_url) as gradebook:
            for cell in nb.cells:
                if not utils.is_grade(cell) or cell.cell_type != "code":
                    continue
                if not any(MANUAL_MIME in (o.get("data") or {}) for o in cell.outputs):
                    continue
                grade = gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"],
                                             self.notebook_id, self.assignment_id,
                                             self.student_id)
                grade.needs_manual_grade = True
                gradebook.db.commit()
        return nb, resources
