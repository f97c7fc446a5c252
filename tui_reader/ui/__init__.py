"""The Textual app. Imported only when the app runs; the core never imports it."""
