import sys

from citecheck.cli import run

sys.exit(run())
