"""kefu: a Telegram bot for an e-commerce customer-service team."""
