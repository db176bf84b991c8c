PT_BR: dict[str, str] = {}
