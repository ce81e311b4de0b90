"""Grading: an exercise's checks run against its hosts, giving a Report."""

from labkit.grading.grade import grade, grade_url
from labkit.grading.report import Report

__all__ = ["Report", "grade", "grade_url"]
