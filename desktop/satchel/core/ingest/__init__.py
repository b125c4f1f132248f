"""Reading untrusted files: sniffing, text and metadata extraction, thumbnails."""
