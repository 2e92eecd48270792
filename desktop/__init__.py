"""How people enter it: the Qt windows, widgets and item models, and the command line (desktop/cli/)."""
