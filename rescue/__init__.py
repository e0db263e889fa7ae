"""The `rescue` command line: the composition root over `training` and `service`."""
