"""``python -m masa`` runs the command line."""

from masa.cli import main

main()
