"""What the pages and the API share: rendering, the pages' words, JSON values, plain views."""
