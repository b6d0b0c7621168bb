"""The quality gate: a Great Expectations checkpoint over one landed batch.

`gate.run_gate` validates a batch in `landing.<table>` with a suite built from the
stream's catalog declaration; `gate.enforce` turns a failed verdict into an error so
nothing is published. Great Expectations is imported inside functions only: it takes
seconds to import and DAG files import this package at parse time.
"""
