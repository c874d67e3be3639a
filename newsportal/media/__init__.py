"""Images editors upload: checked, cleaned, resized, stored by content, served for a year."""
