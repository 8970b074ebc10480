"""Reading input files safely: guarded reads, paths, decoding, office files."""
