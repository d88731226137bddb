import pytest


@pytest.fixture(autouse=True)
def _nose_setup(request):
    """Call a nose-style ``setUp`` method before each test of its class
    (networkx-metis's test file uses them; pytest 8 no longer does)."""
    instance = request.instance
    if instance is not None and hasattr(instance, "setUp"):
        instance.setUp()
    yield
