"""Reader pages (home, article, category) and the editor desk."""
