"""What differs between two runs of a lesson is replaced; what a lesson teaches is kept."""

from __future__ import annotations

from labkit.lessons.sanitize import sanitize


def test_run_dependent_parts_are_replaced() -> None:
    first = ("[gravación: laboratorio storage, server, 2026-11-29 10:02:11 UTC]\n"
             "server$ vgdisplay Practica\n  VG UUID   t0YxD4-JYMy-crK2-osyG-bEOV-T7Tc-B273Hi\n"
             "link/ether 52:54:00:4c:42:01 brd ff:ff:ff:ff:ff:ff\n"
             "64 bytes from 10.0.30.1: icmp_seq=1 ttl=64 time=1.93 ms\n"
             "Startup finished in 1.204s (kernel) + 3.5s (userspace)\n"
             "Sun Nov 29 10:02:11 UTC 2026\n"
             "/dev/vda: UUID=\"0f3c1e9a-2b4d-4e5f-8a9b-0c1d2e3f4a5b\"\n")
    second = ("server$ vgdisplay Practica\n  VG UUID   Qa81Zc-0Lm2-Xy7t-PqR4-aB9c-Dd3e-F4g5Hh\n"
              "link/ether 52:54:00:aa:bb:cc brd ff:ff:ff:ff:ff:ff\n"
              "64 bytes from 10.0.30.1: icmp_seq=1 ttl=64 time=0.41 ms\n"
              "Startup finished in 2.9s (kernel) + 7.25s (userspace)\n"
              "Mon Nov 30 09:00:01 UTC 2026\n"
              "/dev/vda: UUID=\"7d8e9f00-1a2b-4c3d-9e8f-7a6b5c4d3e2f\"\n")
    assert sanitize(first) == sanitize(second)
    assert "Practica" in sanitize(first) and "10.0.30.1" in sanitize(first)


def test_what_a_lesson_shows_is_kept() -> None:
    text = "server$ lvs\n  web  Practica -wi-ao---- 60.00m\n[exit code 5]\n"
    assert sanitize(text) == text
