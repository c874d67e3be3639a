"""Backups an operator makes and restores with `flask backup ...`: the database, the uploads
folder and the instance's generated key, with a manifest of hashes that restore checks first."""
