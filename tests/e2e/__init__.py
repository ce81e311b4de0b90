"""End-to-end tests: real lab hosts (a local sshd and ``local://``), the library and the CLI."""
