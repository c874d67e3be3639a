"""Reader comments: the submission pipeline and the moderation desk."""
