"""PDF rendering (reportlab platypus) and signing (pyHanko). One small class per document."""
