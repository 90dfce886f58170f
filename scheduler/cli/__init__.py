"""The command line: parse, call the layer below, print, exit code."""
