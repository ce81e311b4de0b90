"""The notebook bridges: the top of the stack, where labkit meets Jupyter and nbgrader.

- :mod:`labkit.notebook.nbgrader`: ``autograde_points``, the hidden autograder test cell of an
  exercise's nbgrader notebook;
- :mod:`labkit.notebook.nbgrader_manual`: ``FlagManualGrades``, the nbgrader preprocessor
  that sends a cell the bridge could not honestly grade to a person;
- :mod:`labkit.notebook.evidence`: "Check my work" shown in the notebook, its signed record
  kept as a cell output.

Only these modules import IPython or nbgrader, and nothing else in labkit imports them (the
import contracts in pyproject.toml check both). Import the module you need: this package
loads none of them.
"""
