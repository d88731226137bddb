"""networkx-metis's exception: :class:`MetisError`."""

__all__ = ["MetisError"]

_STATUS = {1: "ok", -2: "error_input", -3: "error_memory", -4: "error"}


class MetisError(Exception):
    """An error METIS would return; ``str()`` is ``"<status>: <message>"``.

    >>> from klpart.compat.nxmetis.exceptions import MetisError
    >>> str(MetisError(-2, "Input Error: Incorrect niter."))
    'error_input: Input Error: Incorrect niter.'
    """

    def __init__(self, rstatus, msg):
        super().__init__(f"{_STATUS.get(rstatus, rstatus)}: {msg}")
        self.rstatus = rstatus
