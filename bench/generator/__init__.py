"""A realistic desk of any size, for benchmarks: `python -m bench.generate --tickets 1M`.

Tickets are made in chunks, each from a generator seeded by (seed, chunk), and each chunk
is committed with a row in generator_chunk: a re-run skips what is there and makes the
rest identically, and does nothing once the data set is complete.
"""

from .dataset import GeneratorError, dataset_generate

__all__ = ["GeneratorError", "dataset_generate"]
