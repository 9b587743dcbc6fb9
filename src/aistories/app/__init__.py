"""The Textual app: child mode (story screen); carer screens come later."""
