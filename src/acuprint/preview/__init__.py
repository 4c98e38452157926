"""The live preview server and the file watcher."""
