from .eigen_manipulation import closed_form_factorization, manipulate, modulation_weights
from .padding_effect import padding_effect, singan_padding_effect

__all__ = ['padding_effect', 'singan_padding_effect', 'closed_form_factorization', 'manipulate',
           'modulation_weights']
