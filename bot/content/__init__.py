"""The assistant's knowledge: YAML data files and the validating loader."""

from .loader import Content, ContentError, get_content, load_content

__all__ = ["load_content", "get_content", "ContentError", "Content"]
