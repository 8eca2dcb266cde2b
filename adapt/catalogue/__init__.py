"""The related-resources catalogue: items, their chunks, embeddings once per text, and search."""
