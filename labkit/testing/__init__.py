"""What labkit's own tests and a course's tests share (nothing here is imported by labkit).

- :mod:`labkit.testing.sshd`: a throwaway OpenSSH server on 127.0.0.1 (``LocalSSHHost``), a
  real lab host on this machine; ``python -m labkit.testing.sshd DIR`` runs one until stopped.
- :mod:`labkit.testing.cases`: probe cases (a command, the real output of the real tool and
  the expected parse, one JSON file each), loaded, replayed and re-created.
- :mod:`labkit.testing.capture`: the one tool that writes probe cases from the real tools,
  here (``local``), in a sandbox VM (``vm``, ``net``) or after an exercise's solution
  (``solved``): ``python -m labkit.testing.capture --help``.

For hosts without a network, ``labkit.transports.replay`` answers from a recording.
"""
