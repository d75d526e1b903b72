"""The CSV bundle format of ../shared/EXCHANGE.md: reading, validating, importing."""
