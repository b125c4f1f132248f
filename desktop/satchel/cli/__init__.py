"""`satchel <command>`: headless commands over the same services as the desktop app."""
