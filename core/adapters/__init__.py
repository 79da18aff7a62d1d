"""One small adapter per outside source."""
