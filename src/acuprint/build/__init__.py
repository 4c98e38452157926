"""Build many outputs: settings, plan, depfiles, the worker pool, manifest, proofs, progress."""
