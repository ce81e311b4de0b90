"""The lesson lab: every lesson and exercise notebook runs live on its own sandbox lab.

::

    from labkit.lessons import Lesson
    lesson = Lesson("03-lvm", "gl")     # shows the lab panel; brings up / attaches / switches
    sh = lesson.sh

- :class:`Lesson` / :class:`Exercise` (``lesson.py`` / ``exercise.py``): hosts, ``sh``,
  ``host``, ``check``;
- ``table.py``: which lab each lesson needs and the names/devices its practice uses;
- ``labs.py``: start, attach, switch the sandbox labs; ``panel.py``: the lab panel;
- ``check.py``: the one "Check my work"; ``grader.py``: in a JupyterHub class, asking the
  class's grading service instead (it grades and signs); ``recording.py``: preview mode's
  recordings;
- ``sanitize.py``: what differs between two runs of a lesson (times, UUIDs, MACs…);
- ``runner.py``: run a lesson notebook top to bottom in a fresh kernel (tests, benchmark).
"""

from labkit.lessons.exercise import Exercise
from labkit.lessons.lesson import Lesson
from labkit.lessons.table import (
    EXERCISE_DISKS,
    LESSON_DISKS,
    LESSONS,
    LessonSpec,
    lesson_of,
    lesson_spec,
)

__all__ = ["EXERCISE_DISKS", "LESSONS", "LESSON_DISKS", "Exercise", "Lesson", "LessonSpec",
           "lesson_of", "lesson_spec"]
