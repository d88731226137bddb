"""Numba kernels: arrays and scalars in, arrays and scalars out.

Nothing in this package validates user input, raises for user errors or prints;
the API layer does that before calling in.  Every function is compiled with
``@njit(cache=True)`` so that a new process reuses the machine code.
"""
