"""labkit: a Jupyter teaching lab and exercise grader for virtualization infrastructure."""
