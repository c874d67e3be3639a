"""The content core: what articles and information pages share (revisions, publication state,
the slug rule, search indexing, the desk's history and restore). Each kind adds only its own."""
