"""cnnmath: the convolution arithmetic, layer notation and tiny 1-D network of the homework, in NumPy."""
