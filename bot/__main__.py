"""`python -m bot` starts the bot with long polling, like `kefu run`."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
