"""What other sites read: Atom feeds, the sitemap, robots.txt, and share cards."""
