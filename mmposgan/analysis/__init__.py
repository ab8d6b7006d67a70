from .padding_effect import padding_effect

__all__ = ['padding_effect']
