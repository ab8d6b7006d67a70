# Original SinGAN: zero padding at each stage's input (Fig. 1(a), Tab./Fig. 7(a)).
_base_ = ['../_base_/singan.py']
