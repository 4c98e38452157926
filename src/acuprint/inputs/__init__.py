"""Read and validate every input file: clinic profiles, recipes, modules, fonts, styles."""
