"""The command-line commands, one module each; `acuprint.cli` registers them on the app."""
