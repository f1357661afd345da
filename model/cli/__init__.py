"""The `wargame` command line: `main.py` builds the parser; one module per subcommand (NAME, HELP,
add_arguments, run). Only `serve` imports the server."""
