"""cnnmath: the convolution arithmetic, layer notation and tiny 1-D network of the homework, in NumPy.

Import from the module that holds what you need (only NumPy is imported, so pages
can use it at build time without slowing the build):

- :mod:`cnnmath.correlation`: 2-D cross-correlation, convolution layers, image
  filters with border policies (floats or exact fractions), the checkerboard.
- :mod:`cnnmath.padding`: padding in PyTorch's modes (zeros, reflect, replicate, circular).
- :mod:`cnnmath.unfold`: im2col, the window matrix behind a fast convolution.
- :mod:`cnnmath.exact`: exact fractions for small arrays.
- :mod:`cnnmath.output_size`: ``⌊(n − k + 2P)/S⌋ + 1``, its exhaustive inverse, and
  which entries the windows read.
- :mod:`cnnmath.notation`: the layer notation (``CONV3-20(3,2)``, ``POOL-2``, ...) and a
  walk through a network's shapes, parameters and multiplications.
- :mod:`cnnmath.tinynet`: question 3's 1-D network, forward and backward, with tie policies.
- :mod:`cnnmath.gradcheck`: central finite differences and relative errors.
"""
