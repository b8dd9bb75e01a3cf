"""`python -m ldn_graph` runs the command line."""

import sys

from ldn_graph.cli import main

sys.exit(main())
