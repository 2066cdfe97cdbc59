"""The official forms as data (model.py) and the parser that reads segments into their items."""
