"""``python -m quotecraft``: the same as the ``quotecraft`` command."""
from .io.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
